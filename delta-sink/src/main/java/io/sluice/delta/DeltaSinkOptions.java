package io.sluice.delta;

import io.sluice.engine.config.ConfigOption;
import io.sluice.engine.config.OptionType;
import io.sluice.engine.config.Validator;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The options of a {@link DeltaSink} ({@link DeltaSinkConfig}) and of its writer tasks. */
public final class DeltaSinkOptions {
  public static final ConfigOption<String> TABLE =
      ConfigOption.key("table", OptionType.string())
          .required()
          .validate(Validator.notEmpty())
          .doc("the table: a local path or a Hadoop file system URI; for a catalog-managed table "
              + "its name in the catalog, `catalog.schema.table`. Created from the schema on first "
              + "run unless `create` is false; an existing table must have the same schema and "
              + "partition columns");

  public static final ConfigOption<Boolean> CREATE =
      ConfigOption.key("create", OptionType.bool())
          .defaultValue(true)
          .doc("create the table on first run if it does not exist (a catalog-managed table "
              + "through its catalog, as a managed table). `false`: a missing table fails the "
              + "pipeline before it reads anything, naming the table");

  public static final ConfigOption<List<String>> PARTITION_BY =
      ConfigOption.key("partition-by", OptionType.listOf(OptionType.string()))
          .defaultValue(List.of())
          .doc("partition columns (schema fields), in directory order; at least one field must "
              + "not be a partition column");

  public static final ConfigOption<Long> TARGET_FILE_SIZE =
      ConfigOption.key("target-file-size", OptionType.size())
          .defaultValue(128L << 20)
          .validate(Validator.sizeAtLeast(1024))
          .doc("a Parquet file is closed when it reaches this size");

  public static final ConfigOption<Integer> MAX_OPEN_FILES =
      ConfigOption.key("max-open-files", OptionType.integer())
          .defaultValue(32)
          .validate(Validator.atLeast(1))
          .doc("open Parquet files (one per partition value) per writer, which bounds memory with "
              + "many partition values. Rows of further values wait in memory (up to a row group's "
              + "size) for a file at the checkpoint; past that, the largest backlog is written and "
              + "the file filling slowest is closed early. The run summary counts those files");

  public static final ConfigOption<Integer> LOG_CHECKPOINT_INTERVAL =
      ConfigOption.key("log-checkpoint-interval", OptionType.integer())
          .defaultValue(10)
          .validate(Validator.atLeast(0))
          .doc("write a Delta log checkpoint every N commits; 0: never");

  public static final ConfigOption<Boolean> COMPACTION_ENABLED =
      ConfigOption.key("compaction.enabled", OptionType.bool())
          .defaultValue(true)
          .doc("compact small files while the pipeline runs: after commits, on a thread of its "
              + "own, a partition's files smaller than `compaction.small-file-size` are rewritten "
              + "into files of up to `target-file-size`, in a commit that removes them and adds "
              + "the result (`dataChange=false`); `sluice vacuum` deletes the removed files once "
              + "past the retention. Filesystem tables only: on a catalog-managed table the Delta "
              + "protocol leaves compaction to the catalog");

  public static final ConfigOption<Integer> COMPACTION_MIN_FILES =
      ConfigOption.key("compaction.min-files", OptionType.integer())
          .defaultValue(10)
          .validate(Validator.atLeast(2))
          .doc("small files of one partition compacted together: files are grouped by size into "
              + "tiers a factor of this number apart, and a tier is compacted when it holds this "
              + "many files, so each row is rewritten only a few times (about log base N of "
              + "small-file size over ingested file size) and a partition keeps fewer than N "
              + "small files per tier");

  public static final ConfigOption<Long> COMPACTION_SMALL_FILE_SIZE =
      ConfigOption.key("compaction.small-file-size", OptionType.size())
          .optional("half of `target-file-size`")
          .validate(Validator.sizeAtLeast(1))
          .doc("files smaller than this are compacted; larger ones are left as they are");

  public static final ConfigOption<Long> COMPACTION_MAX_BYTES =
      ConfigOption.key("compaction.max-bytes", OptionType.size())
          .defaultValue(1L << 30)
          .validate(Validator.sizeAtLeast(1))
          .doc("most bytes of small files one compaction commit rewrites; the rest waits for the "
              + "next commit of the pipeline");

  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOption.key("parallelism", OptionType.integer())
          .optional("the source parallelism")
          .validate(Validator.atLeast(1))
          .doc("writer tasks; when it differs from the source's, records are rebalanced between "
              + "them");

  public static final ConfigOption<Map<String, String>> HADOOP =
      ConfigOption.key("hadoop", OptionType.stringMap())
          .defaultValue(Map.of())
          .doc("Hadoop configuration entries for the table's file system (credentials, "
              + "LogStore...)");

  public static final ConfigOption<Long> MAX_ROWS_PER_FILE =
      ConfigOption.key("max-rows-per-file", OptionType.longInteger())
          .defaultValue(0L)
          .validate(Validator.atLeast(0L))
          .doc("a Parquet file is closed when it holds this many rows; 0: no row limit");

  public static final ConfigOption<Long> PARQUET_ROW_GROUP_SIZE =
      ConfigOption.key("parquet-row-group-size", OptionType.size())
          .defaultValue(64L << 20)
          .validate(Validator.sizeAtLeast(1))
          .doc("Parquet row group size, which bounds the memory of one open file: a writer "
              + "buffers at most about `max-open-files` + 1 times this (the one more: rows "
              + "waiting for a file under the open-file cap). When not set, the default or the "
              + "target file size, whichever is smaller");

  public static final ConfigOption<Integer> COMMIT_MAX_ATTEMPTS =
      ConfigOption.key("commit-max-attempts", OptionType.integer())
          .defaultValue(10)
          .validate(Validator.atLeast(1))
          .doc("attempts of one checkpoint's commit on retryable outcomes (a conflict, an error "
              + "of unknown outcome, a catalog that cannot be reached) before the committer fails;"
              + " the job then restarts and commits again after the restore. With the backoff, it "
              + "sizes the catalog outage a commit waits out without a restart");

  public static final ConfigOption<Duration> COMMIT_RETRY_BACKOFF =
      ConfigOption.key("commit-retry-backoff", OptionType.duration())
          .defaultValue(Duration.ofMillis(100))
          .validate(Validator.atLeast(Duration.ZERO))
          .doc("first pause between commit attempts, doubled after each up to 30 times this");

  public static final ConfigOption<Map<String, String>> TABLE_PROPERTIES =
      ConfigOption.key("table-properties", OptionType.stringMap())
          .defaultValue(Map.of())
          .doc("Delta table properties set when the sink creates the table (an existing table "
              + "keeps its own), such as `delta.logRetentionDuration: interval 7 days`, how long "
              + "log files are kept for time travel (30 days unless set), or "
              + "`delta.deletedFileRetentionDuration`, the shortest retention `sluice vacuum` "
              + "accepts without `--force` (7 days unless set)");

  /** Every option above, in the order of the docs. */
  public static final List<ConfigOption<?>> ALL = List.of(
      TABLE, CREATE, PARTITION_BY, TARGET_FILE_SIZE, MAX_OPEN_FILES, LOG_CHECKPOINT_INTERVAL,
      COMPACTION_ENABLED, COMPACTION_MIN_FILES, COMPACTION_SMALL_FILE_SIZE, COMPACTION_MAX_BYTES,
      PARALLELISM, HADOOP, MAX_ROWS_PER_FILE, PARQUET_ROW_GROUP_SIZE, COMMIT_MAX_ATTEMPTS,
      COMMIT_RETRY_BACKOFF, TABLE_PROPERTIES);

  private DeltaSinkOptions() {}
}
