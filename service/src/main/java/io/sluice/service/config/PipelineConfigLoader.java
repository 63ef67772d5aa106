package io.sluice.service.config;

import io.sluice.delta.DeltaSinkConfig;
import io.sluice.delta.DeltaSinkOptions;
import io.sluice.engine.JobOptions;
import io.sluice.engine.config.ConfigOption;
import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.row.Schema;
import io.sluice.kafka.KafkaSourceOptions;
import io.sluice.kafka.MalformedRecordPolicy;
import io.sluice.state.rocksdb.RocksDbOptions;
import io.sluice.service.internal.YamlNode;
import io.sluice.service.internal.YamlOptions;
import io.sluice.service.internal.YamlReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates pipeline YAML files through the option catalogues ({@link PipelineOptions}).
 * Every error names the file, line, column and field. Relative paths (table, checkpoint directory,
 * embedded catalog directory) are resolved against the working directory.
 */
public final class PipelineConfigLoader {
  private static final String SCHEMA = "schema";
  private static final String TRANSFORMS = "transforms";
  private static final Pattern UNITY_TABLE_NAME =
      Pattern.compile("[^./\\s]+\\.[^./\\s]+\\.[^./\\s]+");

  private final Function<String, String> environment;

  public PipelineConfigLoader(Function<String, String> environment) {
    this.environment = environment;
  }

  public static PipelineConfigLoader withSystemEnvironment() {
    return new PipelineConfigLoader(System::getenv);
  }

  public PipelineConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read the pipeline file: " + e);
    }
    return parse(file.toString(), text);
  }

  public PipelineConfig parse(String fileName, String text) {
    YamlNode root = new YamlReader(fileName, environment).read(text);
    YamlOptions options = new YamlOptions(root, PipelineOptions.BY_PATH, Set.of(SCHEMA, TRANSFORMS));
    String id = options.get(PipelineOptions.PIPELINE);
    Schema schema = schema(root);
    PipelineConfig.Source source = new PipelineConfig.Source(
        options.get(KafkaSourceOptions.BOOTSTRAP),
        options.get(KafkaSourceOptions.TOPIC),
        options.get(KafkaSourceOptions.START),
        options.get(KafkaSourceOptions.BOUNDED),
        options.get(KafkaSourceOptions.PARALLELISM),
        options.get(KafkaSourceOptions.PARTITION_DISCOVERY_INTERVAL),
        options.find(KafkaSourceOptions.GROUP_ID),
        options.get(KafkaSourceOptions.ON_MISSING_OFFSET),
        options.get(KafkaSourceOptions.ON_ERROR),
        options.get(KafkaSourceOptions.PROPERTIES));
    String table = options.get(DeltaSinkOptions.TABLE);
    PipelineConfig.Catalog catalog = catalog(root, options);
    PipelineConfig.Sink sink = new PipelineConfig.Sink(
        table,
        deadLetterTable(options, table, source.onError(), catalog),
        catalog,
        options.get(DeltaSinkOptions.CREATE),
        options.get(DeltaSinkOptions.PARTITION_BY),
        options.get(DeltaSinkOptions.TARGET_FILE_SIZE),
        options.get(DeltaSinkOptions.MAX_OPEN_FILES),
        options.get(DeltaSinkOptions.LOG_CHECKPOINT_INTERVAL),
        new DeltaSinkConfig.Compaction(
            options.get(DeltaSinkOptions.COMPACTION_ENABLED),
            options.get(DeltaSinkOptions.COMPACTION_MIN_FILES),
            options.find(DeltaSinkOptions.COMPACTION_SMALL_FILE_SIZE)
                .orElse(Math.max(1, options.get(DeltaSinkOptions.TARGET_FILE_SIZE) / 2)),
            options.get(DeltaSinkOptions.COMPACTION_MAX_BYTES)),
        options.find(DeltaSinkOptions.PARALLELISM).orElse(source.parallelism()),
        options.get(DeltaSinkOptions.HADOOP),
        options.get(DeltaSinkOptions.TABLE_PROPERTIES),
        options.get(DeltaSinkOptions.COMMIT_MAX_ATTEMPTS),
        options.get(DeltaSinkOptions.COMMIT_RETRY_BACKOFF));
    options.node(DeltaSinkOptions.PARTITION_BY)
        .ifPresent(columns -> checkPartitionColumns(columns, schema));
    PipelineConfig.Checkpoint checkpoint = new PipelineConfig.Checkpoint(
        options.get(JobOptions.CHECKPOINT_INTERVAL),
        options.get(JobOptions.CHECKPOINT_DIR),
        options.get(JobOptions.CHECKPOINT_TIMEOUT),
        options.get(JobOptions.CHECKPOINT_RETAINED));
    PipelineConfig.Restart restart = new PipelineConfig.Restart(
        options.get(JobOptions.RESTART_ATTEMPTS), options.get(JobOptions.RESTART_DELAY));
    PipelineConfig.State state = new PipelineConfig.State(
        options.get(PipelineOptions.STATE_BACKEND),
        options.find(PipelineOptions.STATE_DIR)
            .orElse(Path.of(System.getProperty("java.io.tmpdir"), "sluice-state")),
        options.get(JobOptions.MAX_PARALLELISM),
        options.get(RocksDbOptions.MEMORY));
    Map<String, String> places = new LinkedHashMap<>();
    PipelineOptions.BY_PATH.forEach((path, option) ->
        places.put(path, options.node(option).map(YamlNode::location).orElse(fileName)));
    return new PipelineConfig(id, source, schema, sink, checkpoint, restart,
        transforms(root, schema), state, places);
  }

  /**
   * The sink's catalog. Each field of {@code sink.catalog} must fit its type, and a Unity Catalog
   * table is named {@code catalog.schema.table}.
   */
  private static PipelineConfig.Catalog catalog(YamlNode root, YamlOptions options) {
    if (options.get(CatalogOptions.TYPE) == CatalogType.FILESYSTEM) {
      for (ConfigOption<?> unityOnly :
          List.of(CatalogOptions.URI, CatalogOptions.TOKEN, CatalogOptions.DIR)) {
        options.node(unityOnly).ifPresent(node -> {
          throw node.error("only with type: unity (a filesystem table has no catalog to reach)");
        });
      }
      return new PipelineConfig.Catalog.FileSystem();
    }
    requireUnityTableName(options.node(DeltaSinkOptions.TABLE).orElseThrow());
    String uri = options.find(CatalogOptions.URI).orElseThrow(() -> root.entries().get("sink")
        .entries().get("catalog").error("missing required field 'uri' (required with type: unity)"));
    String token = options.find(CatalogOptions.TOKEN).orElse("");
    if (uri.equals(PipelineConfig.EMBEDDED)) {
      return new PipelineConfig.Catalog.EmbeddedUnity(options.get(CatalogOptions.DIR), token);
    }
    options.node(CatalogOptions.DIR).ifPresent(node -> {
      throw node.error("only with uri: embedded (where the local catalog server keeps its state)");
    });
    return new PipelineConfig.Catalog.Unity(URI.create(uri), token);
  }

  private static void requireUnityTableName(YamlNode table) {
    if (!UNITY_TABLE_NAME.matcher(table.text()).matches()) {
      throw table.error(
          "a Unity Catalog table is named catalog.schema.table, got '" + table.text() + "'");
    }
  }

  /**
   * The dead-letter table when records are dead-lettered: as given, or the table's name with
   * {@link PipelineConfig#DEAD_LETTERS_SUFFIX}. Given, it is another table than the sink's, named
   * as one of its catalog; given without dead letters, it is refused rather than ignored, since
   * the user expects records there.
   */
  private static Optional<String> deadLetterTable(
      YamlOptions options, String table, MalformedRecordPolicy onError,
      PipelineConfig.Catalog catalog) {
    Optional<YamlNode> node = options.node(PipelineOptions.DEAD_LETTER_TABLE);
    if (onError != MalformedRecordPolicy.DEAD_LETTER) {
      node.ifPresent(given -> {
        throw given.error("only with source.on-error: dead-letter (no record is dead-lettered "
            + "with on-error: " + KafkaSourceOptions.ON_ERROR.type().format(onError) + ")");
      });
      return Optional.empty();
    }
    if (node.isEmpty()) {
      return Optional.of(table.replaceAll("/+$", "") + PipelineConfig.DEAD_LETTERS_SUFFIX);
    }
    YamlNode given = node.get();
    String deadLetters = options.get(PipelineOptions.DEAD_LETTER_TABLE);
    boolean fileSystem = catalog instanceof PipelineConfig.Catalog.FileSystem;
    if (fileSystem ? PipelineConfig.fileSystemLocation(deadLetters)
        .equals(PipelineConfig.fileSystemLocation(table)) : deadLetters.equals(table)) {
      throw given.error("the dead-letter table must be another table than sink.table");
    }
    if (!fileSystem) {
      requireUnityTableName(given);
    }
    return Optional.of(deadLetters);
  }

  /** The {@code transforms:} list: each item a mapping of one transform name to its fields. */
  private static List<Transform> transforms(YamlNode root, Schema schema) {
    YamlNode list = root.entries().get(TRANSFORMS);
    List<Transform> transforms = new ArrayList<>();
    if (list == null || list.kind() == YamlNode.Kind.NULL) {
      return transforms;
    }
    for (YamlNode item : list.items()) {
      Map<String, YamlNode> named = item.entries();
      if (named.size() != 1) {
        throw item.error("a transform is one of: dedupe (a mapping with that one key), got "
            + named.keySet());
      }
      Map.Entry<String, YamlNode> transform = named.entrySet().iterator().next();
      if (!transform.getKey().equals("dedupe")) {
        throw item.error("unknown transform '" + transform.getKey() + "' (transforms: dedupe)");
      }
      transforms.add(dedupe(transform.getValue(), schema));
    }
    return transforms;
  }

  private static Transform.Dedupe dedupe(YamlNode node, Schema schema) {
    Map<String, ConfigOption<?>> fields = new LinkedHashMap<>();
    TransformOptions.DEDUPE.forEach(option -> fields.put(option.key(), option));
    YamlOptions options = new YamlOptions(node, fields, Set.of());
    List<String> key = options.get(TransformOptions.DEDUPE_KEY);
    YamlNode keyNode = options.node(TransformOptions.DEDUPE_KEY).orElseThrow();
    Set<String> seen = new HashSet<>();
    for (YamlNode field : keyNode.items()) {
      if (schema.indexOf(field.text()) < 0) {
        throw field.error("key field '" + field.text() + "' is not a field of the schema");
      }
      if (!seen.add(field.text())) {
        throw field.error("key field '" + field.text() + "' is listed twice");
      }
    }
    return new Transform.Dedupe(key, options.get(TransformOptions.DEDUPE_WITHIN));
  }

  private static Schema schema(YamlNode root) {
    YamlNode node = root.entries().get(SCHEMA);
    if (node == null || node.kind() == YamlNode.Kind.NULL) {
      throw root.error("missing required field '" + SCHEMA + "'");
    }
    List<Field> fields = new ArrayList<>();
    for (Map.Entry<String, YamlNode> e : node.entries().entrySet()) {
      String spec = e.getValue().text().trim().toLowerCase(Locale.ROOT);
      boolean nullable = true;
      if (spec.endsWith(" not null")) {
        nullable = false;
        spec = spec.substring(0, spec.length() - " not null".length()).trim();
      }
      FieldType type =
          switch (spec) {
            case "string" -> FieldType.STRING;
            case "int", "integer" -> FieldType.INT;
            case "long", "bigint" -> FieldType.LONG;
            case "float" -> FieldType.FLOAT;
            case "double" -> FieldType.DOUBLE;
            case "boolean" -> FieldType.BOOLEAN;
            case "timestamp" -> FieldType.TIMESTAMP;
            case "date" -> FieldType.DATE;
            default -> throw e.getValue().error(
                "unknown type '" + spec + "' (types: string, int, long, float, double, boolean, timestamp, date; add ' not null' for a required field)");
          };
      fields.add(new Field(e.getKey(), type, nullable));
    }
    if (fields.isEmpty()) {
      throw node.error("the schema declares no field");
    }
    return new Schema(fields);
  }

  /** Partition columns are schema fields, each once, and leave at least one field for the data. */
  private static void checkPartitionColumns(YamlNode columns, Schema schema) {
    Set<String> seen = new HashSet<>();
    for (YamlNode column : columns.items()) {
      String name = column.text();
      if (schema.indexOf(name) < 0) {
        throw column.error("partition column '" + name + "' is not a field of the schema");
      }
      if (!seen.add(name)) {
        throw column.error("partition column '" + name + "' is listed twice");
      }
    }
    if (seen.size() == schema.size()) {
      throw columns.error("at least one schema field must not be a partition column");
    }
  }
}
