package io.sluice.delta.internal;

import io.delta.kernel.types.StructType;
import io.sluice.delta.DataFileMetrics;
import io.sluice.delta.DeltaCommittable;
import io.sluice.delta.DeltaSinkConfig;
import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.UnrecoverableException;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.RowSerializer;
import io.sluice.engine.row.Schema;
import io.sluice.engine.sink.SinkContext;
import io.sluice.engine.sink.SinkWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
 * size or row limit, and at every checkpoint barrier; closed files become {@link
 * DeltaCommittable}s returned by {@link #prepareCommit}. Files stay invisible until the global
 * committer adds them to the Delta log.
 *
 * <p>The open-file cap bounds memory (each open file buffers up to a row group). Rows of a
 * partition value without an open file while the cap is reached wait in memory, serialized, and
 * are written when a slot frees up or at the checkpoint, so a writer with more partition values
 * than slots still writes about one file per value and checkpoint. Waiting rows may take up to one
 * row group's size; past that, the largest backlog is written out, and the cap closes the file
 * that fills slowest (see {@link #makeRoom}).
 *
 * <p>Durability: a data file is synced ({@code hsync}) when it is closed, and before {@link
 * #prepareCommit} returns, the directories holding this checkpoint's files and their ancestors up
 * to the table root are synced too (local file system), so that no file the Delta log will point
 * to can vanish in a power failure once the checkpoint is stored.
 */
public final class DeltaSinkWriter implements SinkWriter<Row, DeltaCommittable> {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaSinkWriter.class);
  private static final Object NULL_KEY = new Object();

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
  private final long waitingBudget;
  private final RowSerializer waitingSerializer;
  private final DataFileMetrics metrics;

  private OpenDataFile unpartitioned;
  private final HashMap<Object, OpenDataFile> openFiles = new HashMap<>();
  private final HashMap<Object, WaitingRows> waiting = new HashMap<>();
  private long waitingBytes;
  private final PartitionKey probe;
  private List<DeltaCommittable> pending = new ArrayList<>();
  private long fileCheckpoint;
  /** Rows taken so far: the clock by which the cap measures how fast files fill. */
  private long rowsTaken;
  /** Makes a directory's entries durable; null when the file system needs no such step. */
  private DirectorySync directorySync;

  interface DirectorySync {
    void sync(Path dir) throws IOException;
  }

  /**
   * A writer of data files under {@code tableLocation}, the table root its catalog gives, that
   * records the files it closes in {@code metrics}.
   */
  public DeltaSinkWriter(
      DeltaSinkConfig config,
      String tableLocation,
      SinkContext context,
      Configuration hadoopConf,
      DataFileMetrics metrics)
      throws IOException {
    this.config = config;
    this.metrics = metrics;
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
    this.waitingBudget = config.parquetRowGroupSizeBytes();
    this.waitingSerializer = new RowSerializer(schema);
    // The checkpoint the next files belong to (checkpoint ids start at 1; -1 = fresh start).
    this.fileCheckpoint = Math.max(context.restoredCheckpointId(), 0) + 1;
    this.directorySync =
        fs instanceof RawLocalFileSystem local ? dir -> syncLocalDirectory(local, dir) : null;
  }

  @Override
  public void write(Row row) throws IOException {
    validate(row);
    rowsTaken++;
    if (partitionOrdinals.length == 0) {
      if (unpartitioned == null) {
        unpartitioned = openFile(row, null, rowsTaken);
      }
      append(unpartitioned, row);
      return;
    }
    Object key = lookupKey(row);
    OpenDataFile file = openFiles.get(key);
    if (file == null) {
      WaitingRows backlog = waiting.get(key);
      if (openFiles.size() >= maxOpenFiles) {
        waitForFile(row, key, backlog);
        return;
      }
      Object stored = backlog != null ? backlog.key : storedKey(key);
      if (backlog != null) {
        drain(backlog);
      }
      file = openFiles.get(stored);
      if (file == null) {
        file = openFile(row, stored, rowsTaken);
        openFiles.put(stored, file);
      }
    }
    append(file, row);
  }

  @Override
  public List<DeltaCommittable> prepareCommit(long checkpointId) throws IOException {
    closeOpenFiles();
    // One backlog at a time: at most one file is open while they are written.
    for (WaitingRows backlog : new ArrayList<>(waiting.values())) {
      drain(backlog);
      closeOpenFiles();
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
    waiting.clear();
    waitingBytes = 0;
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

  /** Bytes of rows waiting for a file under the open-file cap (for tests and metrics). */
  public long waitingBytes() {
    return waitingBytes;
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

  /** The key of {@code row}'s partition value, to look up with (the probe is reused). */
  private Object lookupKey(Row row) {
    if (probe == null) {
      Object v = row.get(partitionOrdinals[0]);
      return v == null ? NULL_KEY : v;
    }
    probe.fill(row, partitionOrdinals);
    return probe;
  }

  /** A key to keep in a map: a copy of the probe. */
  private Object storedKey(Object lookupKey) {
    return lookupKey == probe ? probe.copy() : lookupKey;
  }

  private void append(OpenDataFile file, Row row) throws IOException {
    file.write(row);
    if (file.full(targetFileSize, maxRowsPerFile)) {
      closeFile(file, false);
    }
  }

  /** Keeps {@code row} until its partition value gets a file, making room past the budget. */
  private void waitForFile(Row row, Object key, WaitingRows backlog) throws IOException {
    if (backlog == null) {
      backlog = new WaitingRows(storedKey(key), rowsTaken);
      waiting.put(backlog.key, backlog);
    }
    waitingBytes += backlog.add(row, waitingSerializer);
    metrics.rowWaited();
    while (waitingBytes > waitingBudget) {
      makeRoom();
    }
  }

  /**
   * Writes out the largest backlog. The file the cap then closes is the one that fills slowest,
   * by size over age (rows written to it per row the writer took since it began, a backlog's age
   * counting from its first row): hot partition values keep their slots and their files grow, and
   * a cold value gives its slot up, its rows collecting until the checkpoint or the next room
   * made. Recency alone would not do: with more values than slots, every value is recent.
   */
  private void makeRoom() throws IOException {
    WaitingRows fullest =
        waiting.values().stream().max(Comparator.comparingLong(WaitingRows::bytes)).orElseThrow();
    OpenDataFile slowest =
        openFiles.values().stream()
            .min(Comparator.comparingDouble((OpenDataFile f) -> fillRate(f.rows(), f.firstRowAt))
                .thenComparing(Comparator.comparingLong(OpenDataFile::rows).reversed()))
            .orElse(null);
    if (slowest != null
        && fillRate(slowest.rows(), slowest.firstRowAt)
            < fillRate(fullest.rows(), fullest.firstRowAt)) {
      closeFile(slowest, true);
      drain(fullest);
    } else {
      // The backlog fills slowest itself: it becomes a file of its own, and no slot changes hands.
      drain(fullest);
      OpenDataFile own = openFiles.get(fullest.key);
      if (own != null) {
        closeFile(own, true);
      }
    }
  }

  private double fillRate(long rows, long firstRowAt) {
    return rows / (double) (rowsTaken - firstRowAt + 1);
  }

  /** Writes a backlog into its partition value's file, opened (or rolled) as needed. */
  private void drain(WaitingRows backlog) throws IOException {
    waiting.remove(backlog.key);
    waitingBytes -= backlog.bytes();
    WaitingRows.RowReader rows = backlog.reader(waitingSerializer);
    for (Row row = rows.next(); row != null; row = rows.next()) {
      OpenDataFile file = openFiles.get(backlog.key);
      if (file == null) {
        file = openFile(row, backlog.key, backlog.firstRowAt);
        openFiles.put(backlog.key, file);
      }
      append(file, row);
    }
  }

  private OpenDataFile openFile(Row row, Object key, long firstRowAt) throws IOException {
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
            firstRowAt);
    file.key = key;
    return file;
  }

  private void closeOpenFiles() throws IOException {
    if (unpartitioned != null) {
      closeFile(unpartitioned, false);
    }
    for (OpenDataFile file : new ArrayList<>(openFiles.values())) {
      closeFile(file, false);
    }
  }

  private void closeFile(OpenDataFile file, boolean byCap) throws IOException {
    if (file == unpartitioned) {
      unpartitioned = null;
    } else {
      openFiles.remove(file.key);
    }
    if (file.rows() == 0) {
      file.abort();
      return;
    }
    DeltaCommittable closed = file.close(dataSchema);
    pending.add(closed);
    metrics.fileClosed(closed.sizeBytes(), closed.numRecords(), byCap);
    if (byCap) {
      LOG.debug(
          "Open-file cap {} reached: closed {} early ({} rows)",
          maxOpenFiles, closed.relativePath(), closed.numRecords());
    }
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
      case BINARY -> byte[].class;
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
