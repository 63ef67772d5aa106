package io.sluice.state.rocksdb.internal;

import io.sluice.state.rocksdb.internal.IncrementalRocksDbHandle.SnapshotState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.StringAppendOperator;

/**
 * The database of an {@link IncrementalRocksDbHandle}, opened read-only in a directory of its own
 * that {@link #close} deletes: what exports and restores at another parallelism read.
 */
final class CheckpointedDb implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private final IncrementalRocksDbHandle handle;
  private final Path directory;
  private final StringAppendOperator listAppend = DatabaseOptions.listAppendOperator();
  private final ColumnFamilyOptions columnFamilyOptions =
      DatabaseOptions.columnFamily(listAppend);
  private final DBOptions dbOptions = DatabaseOptions.db();
  private final List<ColumnFamilyHandle> columnFamilies = new ArrayList<>();
  private RocksDB db;

  private CheckpointedDb(IncrementalRocksDbHandle handle, Path directory) {
    this.handle = handle;
    this.directory = directory;
  }

  /** Places the handle's files (relative to {@code root}) in {@code directory} and opens them. */
  static CheckpointedDb open(IncrementalRocksDbHandle handle, Path root, Path directory)
      throws IOException {
    CheckpointedDb opened = new CheckpointedDb(handle, directory);
    boolean open = false;
    try {
      materialize(handle, root, directory);
      opened.db =
          RocksDB.openReadOnly(
              opened.dbOptions,
              directory.toString(),
              StateColumnFamily.descriptors(handle.stateMetas(), opened.columnFamilyOptions),
              opened.columnFamilies);
      open = true;
      return opened;
    } catch (RocksDBException e) {
      throw new IOException("cannot open the RocksDB checkpoint " + handle + ": " + e, e);
    } finally {
      if (!open) {
        opened.close();
      }
    }
  }

  /**
   * Places the handle's files in {@code directory} under their RocksDB names: SST files as hard
   * links where the file system allows (they are immutable), the others as copies (RocksDB
   * rewrites them).
   */
  static void materialize(IncrementalRocksDbHandle handle, Path root, Path directory)
      throws IOException {
    Files.createDirectories(directory);
    for (Map.Entry<String, String> sst : handle.sharedSsts().entrySet()) {
      LocalFiles.linkOrCopy(root.resolve(sst.getValue()), directory.resolve(sst.getKey()));
    }
    for (Map.Entry<String, String> file : handle.privateFiles().entrySet()) {
      LocalFiles.copy(root.resolve(file.getValue()), directory.resolve(file.getKey()));
    }
  }

  RocksDB db() {
    return db;
  }

  List<SnapshotState> states() {
    return handle.states();
  }

  /** The column family of state {@code index} of {@link #states()}. */
  ColumnFamilyHandle columnFamily(int index) {
    return columnFamilies.get(index + 1);
  }

  @Override
  public void close() throws IOException {
    columnFamilies.forEach(ColumnFamilyHandle::close);
    if (db != null) {
      db.close();
    }
    dbOptions.close();
    columnFamilyOptions.close();
    listAppend.close();
    LocalFiles.deleteRecursively(directory);
  }
}
