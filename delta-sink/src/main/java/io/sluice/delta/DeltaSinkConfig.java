package io.sluice.delta;

import io.sluice.engine.row.FieldType;
import io.sluice.engine.row.Schema;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of a {@link DeltaSink}. Build it with {@link #builder(String, Schema, String)}; the
 * defaults and checks are those of {@link DeltaSinkOptions}.
 *
 * @param tablePath the table: its root (a local path or any Hadoop FileSystem URI) for a
 *     filesystem table, its name ({@code catalog.schema.table}) for a catalog-managed one
 * @param schema the rows' schema, which is also the table schema
 * @param createTable {@link DeltaSinkOptions#CREATE}
 * @param partitionColumns partition columns, in directory order (empty: unpartitioned)
 * @param appId Delta transaction application id, {@code <pipelineId>/<table name>}: must be stable
 *     across restarts and savepoint restores; it also owns this sink's data file names
 * @param targetFileSizeBytes {@link DeltaSinkOptions#TARGET_FILE_SIZE}
 * @param maxRowsPerFile {@link DeltaSinkOptions#MAX_ROWS_PER_FILE}
 * @param maxOpenFilesPerWriter {@link DeltaSinkOptions#MAX_OPEN_FILES}
 * @param checkpointInterval Delta log checkpoint interval, {@link
 *     DeltaSinkOptions#LOG_CHECKPOINT_INTERVAL}
 * @param hadoopConfiguration {@link DeltaSinkOptions#HADOOP}
 * @param tableProperties {@link DeltaSinkOptions#TABLE_PROPERTIES}
 * @param parquetRowGroupSizeBytes {@link DeltaSinkOptions#PARQUET_ROW_GROUP_SIZE}
 * @param commitMaxAttempts {@link DeltaSinkOptions#COMMIT_MAX_ATTEMPTS}
 * @param commitRetryBackoff {@link DeltaSinkOptions#COMMIT_RETRY_BACKOFF}
 * @param compaction the automatic compaction of small files
 */
public record DeltaSinkConfig(
    String tablePath,
    Schema schema,
    boolean createTable,
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
    Duration commitRetryBackoff,
    Compaction compaction) {

  /**
   * Automatic compaction of the table's small files.
   *
   * @param enabled {@link DeltaSinkOptions#COMPACTION_ENABLED}
   * @param minFiles {@link DeltaSinkOptions#COMPACTION_MIN_FILES}
   * @param smallFileSizeBytes {@link DeltaSinkOptions#COMPACTION_SMALL_FILE_SIZE}
   * @param maxBytes {@link DeltaSinkOptions#COMPACTION_MAX_BYTES}
   */
  public record Compaction(boolean enabled, int minFiles, long smallFileSizeBytes, long maxBytes) {
    public Compaction {
      DeltaSinkOptions.COMPACTION_MIN_FILES.validate(minFiles);
      DeltaSinkOptions.COMPACTION_SMALL_FILE_SIZE.validate(smallFileSizeBytes);
      DeltaSinkOptions.COMPACTION_MAX_BYTES.validate(maxBytes);
    }

    /** The defaults, small files being those under half of {@code targetFileSizeBytes}. */
    public static Compaction defaults(long targetFileSizeBytes) {
      return new Compaction(
          DeltaSinkOptions.COMPACTION_ENABLED.defaultValue(),
          DeltaSinkOptions.COMPACTION_MIN_FILES.defaultValue(),
          Math.max(1, targetFileSizeBytes / 2),
          DeltaSinkOptions.COMPACTION_MAX_BYTES.defaultValue());
    }
  }

  public DeltaSinkConfig {
    Objects.requireNonNull(tablePath, "tablePath");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(commitRetryBackoff, "commitRetryBackoff");
    Objects.requireNonNull(compaction, "compaction");
    partitionColumns = List.copyOf(Objects.requireNonNull(partitionColumns, "partitionColumns"));
    hadoopConfiguration = copy(hadoopConfiguration, "hadoopConfiguration");
    tableProperties = copy(tableProperties, "tableProperties");
    DeltaSinkOptions.TABLE.validate(tablePath);
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
      if (schema.field(schema.indexOf(column)).type() == FieldType.BINARY) {
        throw new IllegalArgumentException(
            "partition column '" + column + "' is BINARY: bytes cannot be partition values");
      }
    }
    if (partitionColumns.size() >= schema.size()) {
      throw new IllegalArgumentException(
          "at least one column must not be a partition column: " + partitionColumns);
    }
    DeltaSinkOptions.TARGET_FILE_SIZE.validate(targetFileSizeBytes);
    DeltaSinkOptions.MAX_ROWS_PER_FILE.validate(maxRowsPerFile);
    DeltaSinkOptions.MAX_OPEN_FILES.validate(maxOpenFilesPerWriter);
    DeltaSinkOptions.LOG_CHECKPOINT_INTERVAL.validate(checkpointInterval);
    DeltaSinkOptions.PARQUET_ROW_GROUP_SIZE.validate(parquetRowGroupSizeBytes);
    DeltaSinkOptions.COMMIT_MAX_ATTEMPTS.validate(commitMaxAttempts);
    DeltaSinkOptions.COMMIT_RETRY_BACKOFF.validate(commitRetryBackoff);
  }

  public static Builder builder(String tablePath, Schema schema, String appId) {
    return new Builder(tablePath, schema, appId);
  }

  private static Map<String, String> copy(Map<String, String> map, String name) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(map, name)));
  }

  /** Builder with the defaults of {@link DeltaSinkOptions}. */
  public static final class Builder {
    private final String tablePath;
    private final Schema schema;
    private final String appId;
    private boolean createTable = DeltaSinkOptions.CREATE.defaultValue();
    private List<String> partitionColumns = DeltaSinkOptions.PARTITION_BY.defaultValue();
    private long targetFileSizeBytes = DeltaSinkOptions.TARGET_FILE_SIZE.defaultValue();
    private long maxRowsPerFile = DeltaSinkOptions.MAX_ROWS_PER_FILE.defaultValue();
    private int maxOpenFilesPerWriter = DeltaSinkOptions.MAX_OPEN_FILES.defaultValue();
    private int checkpointInterval = DeltaSinkOptions.LOG_CHECKPOINT_INTERVAL.defaultValue();
    private Map<String, String> hadoopConfiguration = DeltaSinkOptions.HADOOP.defaultValue();
    private Map<String, String> tableProperties = DeltaSinkOptions.TABLE_PROPERTIES.defaultValue();
    /** Null: the default row group size, or the target file size when that is smaller. */
    private Long parquetRowGroupSizeBytes;
    private int commitMaxAttempts = DeltaSinkOptions.COMMIT_MAX_ATTEMPTS.defaultValue();
    private Duration commitRetryBackoff = DeltaSinkOptions.COMMIT_RETRY_BACKOFF.defaultValue();
    /** Null: {@link Compaction#defaults} for the target file size. */
    private Compaction compaction;

    private Builder(String tablePath, Schema schema, String appId) {
      this.tablePath = tablePath;
      this.schema = schema;
      this.appId = appId;
    }

    public Builder createTable(boolean create) {
      this.createTable = create;
      return this;
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

    public Builder compaction(Compaction compaction) {
      this.compaction = compaction;
      return this;
    }

    public DeltaSinkConfig build() {
      long rowGroup = parquetRowGroupSizeBytes != null
          ? parquetRowGroupSizeBytes
          : Math.min(targetFileSizeBytes, DeltaSinkOptions.PARQUET_ROW_GROUP_SIZE.defaultValue());
      return new DeltaSinkConfig(
          tablePath,
          schema,
          createTable,
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
          commitRetryBackoff,
          compaction != null ? compaction : Compaction.defaults(targetFileSizeBytes));
    }
  }
}
