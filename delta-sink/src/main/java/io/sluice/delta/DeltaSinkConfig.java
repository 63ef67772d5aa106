package io.sluice.delta;

import io.sluice.engine.row.Schema;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of a {@link DeltaSink}. Build it with {@link #builder(String, Schema, String)}.
 *
 * @param tablePath the table: its root (a local path or any Hadoop FileSystem URI) for a
 *     filesystem table, its name ({@code catalog.schema.table}) for a catalog-managed one
 * @param schema the rows' schema, which is also the table schema
 * @param partitionColumns partition columns, in directory order (empty: unpartitioned)
 * @param appId Delta transaction application id, {@code <pipelineId>/<table name>}: must be stable
 *     across restarts and savepoint restores; it also owns this sink's data file names
 * @param targetFileSizeBytes roll a data file once it reaches about this size (default 128 MiB)
 * @param maxRowsPerFile roll a data file at this many rows; 0 for no row limit (default)
 * @param maxOpenFilesPerWriter open files (one per partition value) a writer may keep; opening one
 *     more first closes the largest open file (default 32)
 * @param checkpointInterval Delta log checkpoint every N table versions, 0 to disable (default 10)
 * @param hadoopConfiguration Hadoop configuration overrides (credentials, LogStore, ...)
 * @param tableProperties Delta table properties used when the sink creates the table
 * @param parquetRowGroupSizeBytes Parquet row group size; bounds the memory of one open file
 *     (default min(target file size, 64 MiB)). A writer buffers at most about {@code
 *     maxOpenFilesPerWriter * parquetRowGroupSizeBytes}
 * @param commitMaxAttempts attempts of one checkpoint's commit on retryable outcomes before the
 *     committer throws (the engine then fails over and retries after restore) (default 10)
 * @param commitRetryBackoff first backoff between commit attempts, doubled up to 30 times that
 *     value (default 100 ms)
 */
public record DeltaSinkConfig(
    String tablePath,
    Schema schema,
    List<String> partitionColumns,
    String appId,
    long targetFileSizeBytes,
    long maxRowsPerFile,
    int maxOpenFilesPerWriter,
    int checkpointInterval,
    Map<String, String> hadoopConfiguration,
    Map<String, String> tableProperties,
    long parquetRowGroupSizeBytes,
    int commitMaxAttempts,
    Duration commitRetryBackoff) {

  public static final long DEFAULT_TARGET_FILE_SIZE = 128L * 1024 * 1024;
  public static final long DEFAULT_MAX_ROW_GROUP_SIZE = 64L * 1024 * 1024;
  public static final int DEFAULT_MAX_OPEN_FILES = 32;
  public static final int DEFAULT_CHECKPOINT_INTERVAL = 10;
  public static final int DEFAULT_COMMIT_MAX_ATTEMPTS = 10;
  public static final Duration DEFAULT_COMMIT_RETRY_BACKOFF = Duration.ofMillis(100);

  public DeltaSinkConfig {
    Objects.requireNonNull(tablePath, "tablePath");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(commitRetryBackoff, "commitRetryBackoff");
    partitionColumns = List.copyOf(Objects.requireNonNull(partitionColumns, "partitionColumns"));
    hadoopConfiguration = copy(hadoopConfiguration, "hadoopConfiguration");
    tableProperties = copy(tableProperties, "tableProperties");
    if (tablePath.isBlank()) {
      throw new IllegalArgumentException("tablePath must not be blank");
    }
    if (appId.isBlank()) {
      throw new IllegalArgumentException("appId must not be blank");
    }
    if (new HashSet<>(partitionColumns).size() != partitionColumns.size()) {
      throw new IllegalArgumentException("duplicate partition columns: " + partitionColumns);
    }
    for (String column : partitionColumns) {
      if (schema.indexOf(column) < 0) {
        throw new IllegalArgumentException(
            "partition column '" + column + "' is not a field of " + schema);
      }
    }
    if (partitionColumns.size() >= schema.size()) {
      throw new IllegalArgumentException(
          "at least one column must not be a partition column: " + partitionColumns);
    }
    positive(targetFileSizeBytes, "targetFileSizeBytes");
    positive(maxOpenFilesPerWriter, "maxOpenFilesPerWriter");
    positive(parquetRowGroupSizeBytes, "parquetRowGroupSizeBytes");
    positive(commitMaxAttempts, "commitMaxAttempts");
    if (maxRowsPerFile < 0) {
      throw new IllegalArgumentException("maxRowsPerFile must be >= 0 (0 = unlimited)");
    }
    if (checkpointInterval < 0) {
      throw new IllegalArgumentException("checkpointInterval must be >= 0 (0 = disabled)");
    }
    if (commitRetryBackoff.isNegative()) {
      throw new IllegalArgumentException("commitRetryBackoff must not be negative");
    }
  }

  public static Builder builder(String tablePath, Schema schema, String appId) {
    return new Builder(tablePath, schema, appId);
  }

  private static Map<String, String> copy(Map<String, String> map, String name) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(map, name)));
  }

  private static void positive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0: " + value);
    }
  }

  /** Builder with the defaults documented on {@link DeltaSinkConfig}. */
  public static final class Builder {
    private final String tablePath;
    private final Schema schema;
    private final String appId;
    private List<String> partitionColumns = List.of();
    private long targetFileSizeBytes = DEFAULT_TARGET_FILE_SIZE;
    private long maxRowsPerFile;
    private int maxOpenFilesPerWriter = DEFAULT_MAX_OPEN_FILES;
    private int checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
    private Map<String, String> hadoopConfiguration = Map.of();
    private Map<String, String> tableProperties = Map.of();
    private long parquetRowGroupSizeBytes = -1;
    private int commitMaxAttempts = DEFAULT_COMMIT_MAX_ATTEMPTS;
    private Duration commitRetryBackoff = DEFAULT_COMMIT_RETRY_BACKOFF;

    private Builder(String tablePath, Schema schema, String appId) {
      this.tablePath = tablePath;
      this.schema = schema;
      this.appId = appId;
    }

    public Builder partitionColumns(List<String> columns) {
      this.partitionColumns = columns;
      return this;
    }

    public Builder partitionColumns(String... columns) {
      return partitionColumns(List.of(columns));
    }

    public Builder targetFileSizeBytes(long bytes) {
      this.targetFileSizeBytes = bytes;
      return this;
    }

    public Builder maxRowsPerFile(long rows) {
      this.maxRowsPerFile = rows;
      return this;
    }

    public Builder maxOpenFilesPerWriter(int files) {
      this.maxOpenFilesPerWriter = files;
      return this;
    }

    public Builder checkpointInterval(int commits) {
      this.checkpointInterval = commits;
      return this;
    }

    public Builder hadoopConfiguration(Map<String, String> conf) {
      this.hadoopConfiguration = conf;
      return this;
    }

    public Builder tableProperties(Map<String, String> properties) {
      this.tableProperties = properties;
      return this;
    }

    public Builder parquetRowGroupSizeBytes(long bytes) {
      this.parquetRowGroupSizeBytes = bytes;
      return this;
    }

    public Builder commitMaxAttempts(int attempts) {
      this.commitMaxAttempts = attempts;
      return this;
    }

    public Builder commitRetryBackoff(Duration backoff) {
      this.commitRetryBackoff = backoff;
      return this;
    }

    public DeltaSinkConfig build() {
      long rowGroup =
          parquetRowGroupSizeBytes > 0
              ? parquetRowGroupSizeBytes
              : Math.max(1, Math.min(targetFileSizeBytes, DEFAULT_MAX_ROW_GROUP_SIZE));
      return new DeltaSinkConfig(
          tablePath,
          schema,
          partitionColumns,
          appId,
          targetFileSizeBytes,
          maxRowsPerFile,
          maxOpenFilesPerWriter,
          checkpointInterval,
          hadoopConfiguration,
          tableProperties,
          rowGroup,
          commitMaxAttempts,
          commitRetryBackoff);
    }
  }
}
