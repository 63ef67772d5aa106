package io.sluice.service.config;

import io.sluice.delta.DeltaSinkOptions;
import io.sluice.engine.JobOptions;
import io.sluice.engine.config.ConfigOption;
import io.sluice.engine.config.OptionType;
import io.sluice.engine.config.Validator;
import io.sluice.kafka.KafkaSourceOptions;
import io.sluice.state.rocksdb.RocksDbOptions;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The options of a pipeline file: the pipeline's own, and where the options of the engine, the
 * Kafka source and the Delta sink stand in the file. Options of the modules' catalogues not placed
 * here are set in Java only.
 */
public final class PipelineOptions {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  public static final ConfigOption<String> PIPELINE =
      ConfigOption.key("pipeline", OptionType.string())
          .required()
          .validate(id("pipeline id"))
          .doc("the pipeline's stable id: it names the Delta transaction id (`appId = "
              + "<pipeline>/<table directory name>`, or `<pipeline>/<catalog.schema.table>` for a "
              + "Unity Catalog table) that makes commits idempotent");

  public static final ConfigOption<StateBackendKind> STATE_BACKEND =
      ConfigOption.key("backend", OptionType.enumeration(StateBackendKind.class))
          .defaultValue(StateBackendKind.HEAP)
          .doc("where keyed state (of stateful transforms) lives while the pipeline runs: `heap` "
              + "(Java memory) or `rocksdb` (local disk, bounded memory, incremental checkpoints)."
              + " Checkpoints restore into the same backend; savepoints into either");

  public static final ConfigOption<Path> STATE_DIR =
      ConfigOption.key("dir", OptionType.path())
          .optional("`sluice-state` in the system's temporary directory")
          .doc("local working directory of the `rocksdb` backend (its databases; rebuilt from the"
              + " checkpoint on restart, so it need not survive one). Give each pipeline its own");

  public static final ConfigOption<String> DEAD_LETTER_TABLE =
      ConfigOption.key("dead-letter-table", OptionType.string())
          .optional("`<table>_dead_letters`, beside the table (through the same catalog)")
          .validate(Validator.notEmpty())
          .doc("with `source.on-error: dead-letter` only (refused otherwise): the Delta table of "
              + "the records that could not be read, a path or URI, or `catalog.schema.table` "
              + "with a catalog. Created on first run, unpartitioned, with the table's catalog, "
              + "`hadoop`, `table-properties`, file sizes and compaction; its commits carry "
              + "`txn(appId = <pipeline>/dead-letters, version = <checkpoint>)`");

  /**
   * The rule of ids that name a Delta transaction id and directories: letters, digits, {@code .},
   * {@code _}, {@code -}, at most 128 characters.
   *
   * @param what the id's name in errors: {@code "pipeline id"}
   */
  public static Validator<String> id(String what) {
    return Validator.of(
        "only letters, digits, `.`, `_`, `-`; at most 128 characters",
        id -> ID.matcher(id).matches(),
        id -> "'" + id + "' is not a valid " + what + ": use letters, digits, '.', '_' or '-' "
            + "(at most 128)");
  }

  /** Every option of a pipeline file by its path in the file, in the order of the docs. */
  public static final Map<String, ConfigOption<?>> BY_PATH = layout();

  private PipelineOptions() {}

  /** Where the option stands in a pipeline file: its key of {@link #BY_PATH}. */
  public static String pathOf(ConfigOption<?> option) {
    return BY_PATH.entrySet().stream()
        .filter(entry -> entry.getValue() == option)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(option + " has no place in a pipeline file"));
  }

  private static Map<String, ConfigOption<?>> layout() {
    Map<String, ConfigOption<?>> byPath = new LinkedHashMap<>();
    place(byPath, "", List.of(PIPELINE));
    place(byPath, "source.", List.of(
        KafkaSourceOptions.BOOTSTRAP,
        KafkaSourceOptions.TOPIC,
        KafkaSourceOptions.START,
        KafkaSourceOptions.BOUNDED,
        KafkaSourceOptions.PARALLELISM,
        KafkaSourceOptions.PARTITION_DISCOVERY_INTERVAL,
        KafkaSourceOptions.ON_MISSING_OFFSET,
        KafkaSourceOptions.ON_ERROR,
        KafkaSourceOptions.GROUP_ID,
        KafkaSourceOptions.PROPERTIES));
    place(byPath, "sink.", List.of(DeltaSinkOptions.TABLE, DEAD_LETTER_TABLE));
    place(byPath, "sink.catalog.", CatalogOptions.ALL);
    place(byPath, "sink.", List.of(
        DeltaSinkOptions.CREATE,
        DeltaSinkOptions.PARTITION_BY,
        DeltaSinkOptions.TARGET_FILE_SIZE,
        DeltaSinkOptions.MAX_OPEN_FILES,
        DeltaSinkOptions.LOG_CHECKPOINT_INTERVAL,
        DeltaSinkOptions.COMPACTION_ENABLED,
        DeltaSinkOptions.COMPACTION_MIN_FILES,
        DeltaSinkOptions.COMPACTION_SMALL_FILE_SIZE,
        DeltaSinkOptions.COMPACTION_MAX_BYTES,
        DeltaSinkOptions.PARALLELISM,
        DeltaSinkOptions.HADOOP,
        DeltaSinkOptions.TABLE_PROPERTIES,
        DeltaSinkOptions.COMMIT_MAX_ATTEMPTS,
        DeltaSinkOptions.COMMIT_RETRY_BACKOFF));
    place(byPath, "", List.of(
        JobOptions.CHECKPOINT_INTERVAL,
        JobOptions.CHECKPOINT_DIR,
        JobOptions.CHECKPOINT_TIMEOUT,
        JobOptions.CHECKPOINT_RETAINED,
        JobOptions.RESTART_ATTEMPTS,
        JobOptions.RESTART_DELAY));
    place(byPath, "state.", List.of(STATE_BACKEND, STATE_DIR));
    place(byPath, "", List.of(JobOptions.MAX_PARALLELISM, RocksDbOptions.MEMORY));
    return Collections.unmodifiableMap(byPath);
  }

  private static void place(
      Map<String, ConfigOption<?>> byPath, String prefix, List<ConfigOption<?>> options) {
    options.forEach(option -> byPath.put(prefix + option.key(), option));
  }
}
