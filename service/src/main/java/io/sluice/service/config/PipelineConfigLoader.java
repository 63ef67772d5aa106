package io.sluice.service.config;

import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.row.Schema;
import io.sluice.kafka.OffsetResetPolicy;
import io.sluice.service.internal.YamlNode;
import io.sluice.service.internal.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates pipeline YAML files. Every error names the file, line, column and field.
 * Relative paths (table, checkpoint directory) are resolved against the working directory.
 */
public final class PipelineConfigLoader {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|KiB|MiB|GiB)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

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
    Map<String, YamlNode> top =
        YamlReader.fields(root, "pipeline", "source", "schema", "sink", "checkpoint", "restart");
    String id = required(root, top, "pipeline").text();
    if (!ID.matcher(id).matches()) {
      throw top.get("pipeline").error(
          "'" + id + "' is not a valid pipeline id: use letters, digits, '.', '_' or '-' (at most 128)");
    }
    Schema schema = schema(required(root, top, "schema"));
    PipelineConfig.Source source = source(required(root, top, "source"));
    PipelineConfig.Sink sink = sink(required(root, top, "sink"), schema);
    PipelineConfig.Checkpoint checkpoint = checkpoint(required(root, top, "checkpoint"));
    PipelineConfig.Restart restart =
        top.containsKey("restart")
            ? restart(top.get("restart"))
            : new PipelineConfig.Restart(3, Duration.ofSeconds(5));
    return new PipelineConfig(id, source, schema, sink, checkpoint, restart);
  }

  private PipelineConfig.Source source(YamlNode node) {
    Map<String, YamlNode> f =
        YamlReader.fields(node, "bootstrap", "topic", "start", "bounded", "parallelism", "group-id",
            "on-missing-offset", "properties");
    String bootstrap = required(node, f, "bootstrap").text();
    String topic = required(node, f, "topic").text();
    PipelineConfig.StartPosition start =
        f.containsKey("start")
            ? startPosition(f.get("start"))
            : new PipelineConfig.StartPosition(PipelineConfig.StartPosition.Kind.EARLIEST, 0);
    boolean bounded = f.containsKey("bounded") && bool(f.get("bounded"));
    int parallelism = f.containsKey("parallelism") ? positiveInt(f.get("parallelism")) : 1;
    Optional<String> groupId = Optional.ofNullable(f.get("group-id")).map(YamlNode::text);
    OffsetResetPolicy onMissingOffset =
        f.containsKey("on-missing-offset") ? offsetReset(f.get("on-missing-offset")) : OffsetResetPolicy.FAIL;
    return new PipelineConfig.Source(bootstrap, topic, start, bounded, parallelism, groupId,
        onMissingOffset, stringMap(f.get("properties")));
  }

  private static OffsetResetPolicy offsetReset(YamlNode node) {
    return switch (node.text().trim().toLowerCase(Locale.ROOT)) {
      case "fail" -> OffsetResetPolicy.FAIL;
      case "earliest" -> OffsetResetPolicy.EARLIEST;
      case "latest" -> OffsetResetPolicy.LATEST;
      default -> throw node.error("expected fail, earliest or latest, got '" + node.text() + "'");
    };
  }

  private static PipelineConfig.StartPosition startPosition(YamlNode node) {
    String text = node.text().trim();
    switch (text.toLowerCase(Locale.ROOT)) {
      case "earliest":
        return new PipelineConfig.StartPosition(PipelineConfig.StartPosition.Kind.EARLIEST, 0);
      case "latest":
        return new PipelineConfig.StartPosition(PipelineConfig.StartPosition.Kind.LATEST, 0);
      default:
        long millis;
        try {
          millis = text.chars().allMatch(Character::isDigit) ? Long.parseLong(text) : Instant.parse(text).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
          throw node.error(
              "expected earliest, latest, an ISO-8601 instant (2026-01-31T00:00:00Z) or epoch milliseconds, got '" + text + "'");
        }
        return new PipelineConfig.StartPosition(PipelineConfig.StartPosition.Kind.TIMESTAMP, millis);
    }
  }

  private static Schema schema(YamlNode node) {
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

  private static PipelineConfig.Sink sink(YamlNode node, Schema schema) {
    Map<String, YamlNode> f =
        YamlReader.fields(node, "table", "partition-by", "target-file-size", "max-open-files",
            "log-checkpoint-interval", "parallelism", "hadoop");
    String table = required(node, f, "table").text();
    List<String> partitionBy = new ArrayList<>();
    if (f.containsKey("partition-by")) {
      for (YamlNode column : f.get("partition-by").items()) {
        String name = column.text();
        if (schema.indexOf(name) < 0) {
          throw column.error("partition column '" + name + "' is not a field of the schema");
        }
        if (partitionBy.contains(name)) {
          throw column.error("partition column '" + name + "' is listed twice");
        }
        partitionBy.add(name);
      }
      if (partitionBy.size() == schema.size()) {
        throw f.get("partition-by").error("at least one schema field must not be a partition column");
      }
    }
    long targetFileSize = f.containsKey("target-file-size") ? size(f.get("target-file-size")) : 128L << 20;
    int maxOpenFiles = f.containsKey("max-open-files") ? positiveInt(f.get("max-open-files")) : 32;
    int logCheckpointInterval =
        f.containsKey("log-checkpoint-interval") ? positiveInt(f.get("log-checkpoint-interval")) : 10;
    int parallelism = f.containsKey("parallelism") ? positiveInt(f.get("parallelism")) : 0;
    return new PipelineConfig.Sink(table, partitionBy, targetFileSize, maxOpenFiles,
        logCheckpointInterval, parallelism, stringMap(f.get("hadoop")));
  }

  private static PipelineConfig.Checkpoint checkpoint(YamlNode node) {
    Map<String, YamlNode> f = YamlReader.fields(node, "interval", "dir", "timeout", "retained");
    Duration interval = f.containsKey("interval") ? duration(f.get("interval")) : Duration.ofSeconds(10);
    Path dir = Path.of(required(node, f, "dir").text());
    Duration timeout = f.containsKey("timeout") ? duration(f.get("timeout")) : Duration.ofMinutes(10);
    int retained = f.containsKey("retained") ? positiveInt(f.get("retained")) : 3;
    return new PipelineConfig.Checkpoint(interval, dir, timeout, retained);
  }

  private static PipelineConfig.Restart restart(YamlNode node) {
    Map<String, YamlNode> f = YamlReader.fields(node, "attempts", "delay");
    int attempts = f.containsKey("attempts") ? nonNegativeInt(f.get("attempts")) : 3;
    Duration delay = f.containsKey("delay") ? duration(f.get("delay")) : Duration.ofSeconds(5);
    return new PipelineConfig.Restart(attempts, delay);
  }

  private static YamlNode required(YamlNode parent, Map<String, YamlNode> fields, String name) {
    YamlNode node = fields.get(name);
    if (node == null || node.kind() == YamlNode.Kind.NULL) {
      throw parent.error("missing required field '" + name + "'");
    }
    return node;
  }

  private static Map<String, String> stringMap(YamlNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node != null && node.kind() != YamlNode.Kind.NULL) {
      node.entries().forEach((k, v) -> out.put(k, v.text()));
    }
    return out;
  }

  private static boolean bool(YamlNode node) {
    return switch (node.text().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw node.error("expected true or false, got '" + node.text() + "'");
    };
  }

  private static int positiveInt(YamlNode node) {
    int value = nonNegativeInt(node);
    if (value == 0) {
      throw node.error("must be at least 1");
    }
    return value;
  }

  private static int nonNegativeInt(YamlNode node) {
    try {
      int value = Integer.parseInt(node.text().trim());
      if (value < 0) {
        throw node.error("must not be negative, got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw node.error("expected a whole number, got '" + node.text() + "'");
    }
  }

  /** Durations such as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
  static Duration duration(YamlNode node) {
    Matcher m = DURATION.matcher(node.text().trim());
    if (!m.matches()) {
      throw node.error("expected a duration such as 500ms, 10s, 5m or 1h, got '" + node.text() + "'");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
    if (d.isZero()) {
      throw node.error("must be longer than zero");
    }
    return d;
  }

  /** Sizes such as {@code 134217728}, {@code 512KB}, {@code 128MB}, {@code 1GB} (powers of 1024). */
  static long size(YamlNode node) {
    Matcher m = SIZE.matcher(node.text().trim());
    if (!m.matches()) {
      throw node.error("expected a size such as 128MB, 512KB or a number of bytes, got '" + node.text() + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    long bytes = switch (unit) {
      case "KB", "KIB" -> n << 10;
      case "MB", "MIB" -> n << 20;
      case "GB", "GIB" -> n << 30;
      default -> n;
    };
    if (bytes < 1024) {
      throw node.error("must be at least 1KB");
    }
    return bytes;
  }
}
