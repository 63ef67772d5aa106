package io.sluice.delta.internal;

import io.delta.kernel.types.StructType;
import io.sluice.delta.DeltaCommittable;
import io.sluice.delta.DeltaSinkConfig;
import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.UnrecoverableException;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import io.sluice.engine.sink.SinkContext;
import io.sluice.engine.sink.SinkWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams rows into Parquet files directly under the table directory (Hive-style partition
 * directories), one open file per partition value. A file is closed when it reaches the target
 * size or row limit, when opening another partition's file would exceed the open-file cap (the
 * largest open file is closed), and at every checkpoint barrier; closed files become {@link
 * DeltaCommittable}s returned by {@link #prepareCommit}. Files stay invisible until the global
 * committer adds them to the Delta log.
 *
 * <p>Durability: a data file is synced ({@code hsync}) when it is closed, and before {@link
 * #prepareCommit} returns, the directories holding this checkpoint's files and their ancestors up
 * to the table root are synced too (local file system), so that no file the Delta log will point
 * to can vanish in a power failure once the checkpoint is stored.
 */
public final class DeltaSinkWriter implements SinkWriter<Row, DeltaCommittable> {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaSinkWriter.class);
  private static final Object NULL_KEY = new Object();
  private static final int SIZE_CHECK_MASK = 63; // check the file size every 64 rows

  private final DeltaSinkConfig config;
  private final SinkContext context;
  private final Configuration hadoopConf;
  private final FileSystem fs;
  private final Path root;
  private final DataFileNames names;
  private final Schema schema;
  private final StructType dataSchema;
  private final MessageType parquetSchema;

  private final int arity;
  private final boolean[] nullable;
  private final Class<?>[] javaTypes;
  private final int[] partitionOrdinals;
  private final FieldType[] partitionTypes;
  private final String[] partitionNames;
  private final boolean[] partitionNullable;

  private final long targetFileSize;
  private final long maxRowsPerFile;
  private final int maxOpenFiles;

  private OpenDataFile unpartitioned;
  private final HashMap<Object, OpenDataFile> openFiles = new HashMap<>();
  private final PartitionKey probe;
  private List<DeltaCommittable> pending = new ArrayList<>();
  private long fileCheckpoint;
  private long openCounter;
  /** Makes a directory's entries durable; null when the file system needs no such step. */
  private DirectorySync directorySync;

  interface DirectorySync {
    void sync(Path dir) throws IOException;
  }

  /** A writer of data files under {@code tableLocation}, the table root its catalog gives. */
  public DeltaSinkWriter(
      DeltaSinkConfig config, String tableLocation, SinkContext context, Configuration hadoopConf)
      throws IOException {
    this.config = config;
    this.context = context;
    this.hadoopConf = hadoopConf;
    Path tablePath = new Path(tableLocation);
    this.fs = DeltaFileSystems.dataFileSystem(tablePath, hadoopConf);
    this.root = fs.makeQualified(tablePath);
    this.names = new DataFileNames(config.appId());
    this.schema = config.schema();
    this.dataSchema = Schemas.dataSchema(schema, config.partitionColumns());
    this.parquetSchema = Schemas.parquetSchema(schema, config.partitionColumns());

    this.arity = schema.size();
    this.nullable = new boolean[arity];
    this.javaTypes = new Class<?>[arity];
    for (int i = 0; i < arity; i++) {
      Field f = schema.field(i);
      nullable[i] = f.nullable();
      javaTypes[i] = javaType(f.type());
    }
    List<String> partitionColumns = config.partitionColumns();
    this.partitionOrdinals = new int[partitionColumns.size()];
    this.partitionTypes = new FieldType[partitionColumns.size()];
    this.partitionNames = partitionColumns.toArray(new String[0]);
    this.partitionNullable = new boolean[partitionColumns.size()];
    for (int i = 0; i < partitionOrdinals.length; i++) {
      partitionOrdinals[i] = schema.indexOf(partitionColumns.get(i));
      partitionTypes[i] = schema.field(partitionOrdinals[i]).type();
      partitionNullable[i] = schema.field(partitionOrdinals[i]).nullable();
    }
    this.probe = partitionOrdinals.length > 1 ? new PartitionKey(partitionOrdinals.length) : null;

    this.targetFileSize = config.targetFileSizeBytes();
    this.maxRowsPerFile = config.maxRowsPerFile();
    this.maxOpenFiles = config.maxOpenFilesPerWriter();
    // The checkpoint the next files belong to (checkpoint ids start at 1; -1 = fresh start).
    this.fileCheckpoint = Math.max(context.restoredCheckpointId(), 0) + 1;
    this.directorySync =
        fs instanceof RawLocalFileSystem local ? dir -> syncLocalDirectory(local, dir) : null;
  }

  @Override
  public void write(Row row) throws IOException {
    validate(row);
    OpenDataFile file = fileFor(row);
    file.write(row);
    long rows = file.rows();
    if ((maxRowsPerFile > 0 && rows >= maxRowsPerFile)
        || ((rows & SIZE_CHECK_MASK) == 0 && file.estimatedSize() >= targetFileSize)) {
      closeFile(file);
    }
  }

  @Override
  public List<DeltaCommittable> prepareCommit(long checkpointId) throws IOException {
    if (unpartitioned != null) {
      closeFile(unpartitioned);
    }
    for (OpenDataFile file : new ArrayList<>(openFiles.values())) {
      closeFile(file);
    }
    List<DeltaCommittable> out = pending;
    syncDirectories(out);
    pending = new ArrayList<>();
    fileCheckpoint = checkpointId + 1;
    if (!out.isEmpty()) {
      LOG.debug(
          "Subtask {} staged {} data files for checkpoint {}",
          context.subtaskIndex(),
          out.size(),
          checkpointId);
    }
    return out;
  }

  @Override
  public void close() {
    if (unpartitioned != null) {
      unpartitioned.abort();
      unpartitioned = null;
    }
    openFiles.values().forEach(OpenDataFile::abort);
    openFiles.clear();
    for (DeltaCommittable c : pending) {
      try {
        fs.delete(new Path(root, c.relativePath()), false);
      } catch (IOException e) {
        // discardUncommitted removes it on the next start
      }
    }
    pending.clear();
  }

  /** Files currently open (for tests and metrics). */
  public int openFileCount() {
    return openFiles.size() + (unpartitioned == null ? 0 : 1);
  }

  /** Replaces the directory sync (tests). */
  void directorySync(DirectorySync sync) {
    this.directorySync = sync;
  }

  /**
   * Syncs each directory holding one of {@code files} (their entries) and every ancestor up to the
   * table root (entries of partition directories this writer may have created), once each.
   * Directories are synced every checkpoint rather than remembered: a directory emptied and
   * removed by VACUUM may be re-created by the next file.
   */
  private void syncDirectories(List<DeltaCommittable> files) throws IOException {
    if (directorySync == null || files.isEmpty()) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (DeltaCommittable c : files) {
      String relative = c.relativePath();
      for (int slash = relative.lastIndexOf('/');
          slash >= 0 && seen.add(relative.substring(0, slash));
          slash = relative.lastIndexOf('/', slash - 1)) {
        directorySync.sync(new Path(root, relative.substring(0, slash)));
      }
      if (seen.add("")) {
        directorySync.sync(root);
      }
    }
  }

  private static void syncLocalDirectory(RawLocalFileSystem fs, Path dir) throws IOException {
    try (FileChannel channel =
        FileChannel.open(fs.pathToFile(dir).toPath(), StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private OpenDataFile fileFor(Row row) throws IOException {
    if (partitionOrdinals.length == 0) {
      if (unpartitioned == null) {
        unpartitioned = openFile(row, null);
      }
      return unpartitioned;
    }
    Object key;
    if (probe == null) {
      Object v = row.get(partitionOrdinals[0]);
      key = v == null ? NULL_KEY : v;
    } else {
      probe.fill(row, partitionOrdinals);
      key = probe;
    }
    OpenDataFile file = openFiles.get(key);
    if (file == null) {
      if (openFiles.size() >= maxOpenFiles) {
        closeLargest();
      }
      Object stored = probe == null ? key : probe.copy();
      file = openFile(row, stored);
      openFiles.put(stored, file);
    }
    return file;
  }

  private OpenDataFile openFile(Row row, Object key) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    StringBuilder dir = new StringBuilder();
    for (int i = 0; i < partitionOrdinals.length; i++) {
      String value =
          PartitionValues.serializeChecked(
              partitionNames[i],
              partitionTypes[i],
              partitionNullable[i],
              row.get(partitionOrdinals[i]));
      values.put(partitionNames[i], value);
      dir.append(PartitionValues.directory(partitionNames[i], value)).append('/');
    }
    String relativePath =
        dir.append(names.newFileName(fileCheckpoint, context.subtaskIndex())).toString();
    OpenDataFile file =
        new OpenDataFile(
            fs,
            new Path(root, relativePath),
            relativePath,
            values,
            new RowWriteSupport(schema, config.partitionColumns(), parquetSchema),
            hadoopConf,
            config.parquetRowGroupSizeBytes(),
            openCounter++);
    file.key = key;
    return file;
  }

  private void closeLargest() throws IOException {
    OpenDataFile victim = null;
    long victimSize = -1;
    for (OpenDataFile f : openFiles.values()) {
      long size = f.estimatedSize();
      if (size > victimSize || (size == victimSize && f.openOrder < victim.openOrder)) {
        victim = f;
        victimSize = size;
      }
    }
    if (victim != null) {
      LOG.debug("Open-file cap {} reached: closing {} early", maxOpenFiles, victim.relativePath());
      closeFile(victim);
    }
  }

  private void closeFile(OpenDataFile file) throws IOException {
    if (file == unpartitioned) {
      unpartitioned = null;
    } else {
      openFiles.remove(file.key);
    }
    if (file.rows() == 0) {
      file.abort();
      return;
    }
    pending.add(file.close(dataSchema));
  }

  private void validate(Row row) {
    if (row.arity() != arity) {
      throw new UnrecoverableException(
          "row has " + row.arity() + " values but the schema has " + arity + " fields: " + schema);
    }
    for (int i = 0; i < arity; i++) {
      Object v = row.get(i);
      if (v == null) {
        if (!nullable[i]) {
          throw new UnrecoverableException(
              "field '" + schema.field(i).name() + "' is not nullable but the row has null");
        }
      } else if (v.getClass() != javaTypes[i]) {
        throw new UnrecoverableException(
            "field '"
                + schema.field(i).name()
                + "' of type "
                + schema.field(i).type()
                + " needs a "
                + javaTypes[i].getSimpleName()
                + " but the row has a "
                + v.getClass().getName());
      }
    }
  }

  private static Class<?> javaType(FieldType type) {
    return switch (type) {
      case STRING -> String.class;
      case INT, DATE -> Integer.class;
      case LONG, TIMESTAMP -> Long.class;
      case FLOAT -> Float.class;
      case DOUBLE -> Double.class;
      case BOOLEAN -> Boolean.class;
    };
  }

  /** Composite partition key; one instance is reused as the lookup probe. */
  static final class PartitionKey {
    private final Object[] values;
    private int hash;

    PartitionKey(int size) {
      this.values = new Object[size];
    }

    void fill(Row row, int[] ordinals) {
      for (int i = 0; i < ordinals.length; i++) {
        values[i] = row.get(ordinals[i]);
      }
      hash = Arrays.hashCode(values);
    }

    PartitionKey copy() {
      PartitionKey k = new PartitionKey(values.length);
      System.arraycopy(values, 0, k.values, 0, values.length);
      k.hash = hash;
      return k;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PartitionKey other && Arrays.equals(values, other.values);
    }
  }
}
