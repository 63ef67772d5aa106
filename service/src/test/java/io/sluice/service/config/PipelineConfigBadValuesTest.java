package io.sluice.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One bad value per field and kind of failure, with the exact error the user sees. */
class PipelineConfigBadValuesTest {
  /** Every field set, one per line, so that a case replaces exactly one value. */
  private static final String EVERY_FIELD = """
      pipeline: orders-eu
      source:
        bootstrap: broker:9092
        topic: orders
        start: earliest
        bounded: false
        parallelism: 2
        on-missing-offset: fail
        group-id: sluice-orders
        properties: {}
      schema:
        order_id: string not null
        country: string
      sink:
        table: /tmp/tables/orders
        partition-by: [country]
        target-file-size: 64MB
        max-open-files: 32
        log-checkpoint-interval: 10
        parallelism: 2
        hadoop: {}
      checkpoint:
        interval: 5s
        dir: /tmp/checkpoints/orders
        timeout: 10m
        retained: 3
      restart:
        attempts: 3
        delay: 5s
      state:
        backend: heap
        dir: /tmp/state/orders
        max-parallelism: 128
        rocksdb:
          memory: 256MB
      """;
  private static final String WHOLE_INT = "expected a whole number from -2147483648 to 2147483647";
  private static final String START =
      "expected earliest, latest, an ISO-8601 instant (2026-01-31T00:00:00Z) or epoch milliseconds";

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("pipeline", "orders/eu", "1:11: pipeline: 'orders/eu' is not a valid pipeline id: use letters, digits, '.', '_' or '-' (at most 128)"),
        bad("pipeline", "''", "1:11: pipeline: '' is not a valid pipeline id: use letters, digits, '.', '_' or '-' (at most 128)"),
        bad("pipeline", "[a]", "1:11: pipeline: expected a single value, got a list"),
        bad("source.bootstrap", "''", "3:14: source.bootstrap: must not be empty"),
        bad("source.topic", "\"\"", "4:10: source.topic: must not be empty"),
        bad("source.topic", "{a: b}", "4:10: source.topic: expected a single value, got a mapping"),
        bad("source.start", "yesterday", "5:10: source.start: " + START + ", got 'yesterday'"),
        bad("source.start", "99999999999999999999", "5:10: source.start: " + START + ", got '99999999999999999999'"),
        bad("source.start", "1969-12-31T00:00:00Z", "5:10: source.start: " + START + ", got '1969-12-31T00:00:00Z'"),
        bad("source.bounded", "maybe", "6:12: source.bounded: expected true or false, got 'maybe'"),
        bad("source.parallelism", "two", "7:16: source.parallelism: expected a whole number, got 'two'"),
        bad("source.parallelism", "0", "7:16: source.parallelism: must be at least 1"),
        bad("source.parallelism", "99999999999999999999", "7:16: source.parallelism: " + WHOLE_INT + ", got '99999999999999999999'"),
        bad("source.on-missing-offset", "skip", "8:22: source.on-missing-offset: expected fail, earliest or latest, got 'skip'"),
        bad("source.group-id", "[a, b]", "9:13: source.group-id: expected a single value, got a list"),
        bad("source.properties", "none", "10:15: source.properties: expected a mapping of fields, got 'none'"),
        bad("source.properties", "{isolation.level: read_uncommitted}", "10:15: source.properties: consumer property 'isolation.level' is set by the Kafka source itself and cannot be overridden (reserved: [auto.offset.reset, bootstrap.servers, enable.auto.commit, isolation.level, key.deserializer, value.deserializer])"),
        bad("sink.table", "''", "15:10: sink.table: must not be empty"),
        bad("sink.partition-by", "country", "16:17: sink.partition-by: expected a list, got 'country'"),
        bad("sink.partition-by", "[region]", "16:18: sink.partition-by[0]: partition column 'region' is not a field of the schema"),
        bad("sink.partition-by", "[country, country]", "16:27: sink.partition-by[1]: partition column 'country' is listed twice"),
        bad("sink.partition-by", "[order_id, country]", "16:17: sink.partition-by: at least one schema field must not be a partition column"),
        bad("sink.target-file-size", "lots", "17:21: sink.target-file-size: expected a size such as 128MB, 512KB or a number of bytes, got 'lots'"),
        bad("sink.target-file-size", "''", "17:21: sink.target-file-size: expected a size such as 128MB, 512KB or a number of bytes, got ''"),
        bad("sink.target-file-size", "1000", "17:21: sink.target-file-size: must be at least 1KB"),
        bad("sink.target-file-size", "17179869185GB", "17:21: sink.target-file-size: expected a size of at most 8589934591GB, got '17179869185GB'"),
        bad("sink.target-file-size", "99999999999999999999", "17:21: sink.target-file-size: expected a size of at most 8589934591GB, got '99999999999999999999'"),
        bad("sink.max-open-files", "0", "18:19: sink.max-open-files: must be at least 1"),
        bad("sink.max-open-files", "99999999999999999999", "18:19: sink.max-open-files: " + WHOLE_INT + ", got '99999999999999999999'"),
        bad("sink.log-checkpoint-interval", "-1", "19:28: sink.log-checkpoint-interval: must be at least 0"),
        bad("sink.log-checkpoint-interval", "ten", "19:28: sink.log-checkpoint-interval: expected a whole number, got 'ten'"),
        bad("sink.parallelism", "0", "20:16: sink.parallelism: must be at least 1"),
        bad("sink.hadoop", "[a]", "21:11: sink.hadoop: expected a mapping of fields, got a list"),
        bad("checkpoint.interval", "0s", "23:13: checkpoint.interval: must be longer than zero"),
        bad("checkpoint.interval", "5 parsecs", "23:13: checkpoint.interval: expected a duration such as 500ms, 10s, 5m, 1h or 7d, got '5 parsecs'"),
        bad("checkpoint.interval", "106752d", "23:13: checkpoint.interval: expected a duration of at most 106751d, got '106752d'"),
        bad("checkpoint.dir", "\"\"", "24:8: checkpoint.dir: must not be empty"),
        bad("checkpoint.timeout", "0ms", "25:12: checkpoint.timeout: must be longer than zero"),
        bad("checkpoint.timeout", "-1m", "25:12: checkpoint.timeout: expected a duration such as 500ms, 10s, 5m, 1h or 7d, got '-1m'"),
        bad("checkpoint.retained", "0", "26:13: checkpoint.retained: must be at least 1"),
        bad("restart.attempts", "-1", "28:13: restart.attempts: must be at least 0"),
        bad("restart.attempts", "many", "28:13: restart.attempts: expected a whole number, got 'many'"),
        bad("restart.delay", "99999999999999999999s", "29:10: restart.delay: expected a duration of at most 106751d, got '99999999999999999999s'"),
        bad("state.backend", "disk", "31:12: state.backend: expected heap or rocksdb, got 'disk'"),
        bad("state.dir", "''", "32:8: state.dir: must not be empty"),
        bad("state.max-parallelism", "0", "33:20: state.max-parallelism: must be from 1 to 32768"),
        bad("state.max-parallelism", "32769", "33:20: state.max-parallelism: must be from 1 to 32768"),
        bad("state.rocksdb.memory", "1MB", "35:13: state.rocksdb.memory: must be at least 16MB"),
        bad("state.rocksdb.memory", "lots", "35:13: state.rocksdb.memory: expected a size such as 128MB, 512KB or a number of bytes, got 'lots'"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badValues")
  void badValueIsNamedWithItsPlace(String field, String value, String expected) {
    String text = withValue(field, value);
    ConfigException e = assertThrows(ConfigException.class,
        () -> new PipelineConfigLoader(Map.<String, String>of()::get).parse("p.yaml", text));
    assertEquals(expected, e.getMessage());
  }

  @Test
  void everyFieldFileIsValid() {
    new PipelineConfigLoader(Map.<String, String>of()::get).parse("p.yaml", EVERY_FIELD);
  }

  private static Arguments bad(String field, String value, String expectedAfterFileName) {
    return Arguments.of(field, value, "p.yaml:" + expectedAfterFileName);
  }

  /** {@link #EVERY_FIELD} with the value of one field (a dotted path) replaced. */
  private static String withValue(String field, String value) {
    String[] path = field.split("\\.");
    // group 1 runs from the section's header (if any) to the field's "key: "; the value follows
    String section = path.length == 1 ? "" : "^" + path[0] + ":\n(?:  .*\n)*?";
    String indent = "  ".repeat(path.length - 1);
    String key = Pattern.quote(path[path.length - 1]);
    Pattern line = Pattern.compile("(" + section + "^" + indent + key + ": ).*", Pattern.MULTILINE);
    String replaced = line.matcher(EVERY_FIELD).replaceFirst("$1" + Matcher.quoteReplacement(value));
    if (replaced.equals(EVERY_FIELD)) {
      throw new IllegalArgumentException("no field " + field + " in the test file");
    }
    return replaced;
  }
}
