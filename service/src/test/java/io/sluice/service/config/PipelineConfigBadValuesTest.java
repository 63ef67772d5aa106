package io.sluice.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad values of every field of a pipeline file, one per kind of failure (wrong shape, unparsable,
 * out of range, overflowing, empty), with the exact error the user sees.
 */
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
        partition-discovery-interval: 30s
        on-missing-offset: fail
        on-error: dead-letter
        group-id: sluice-orders
        properties: {}
      schema:
        order_id: string not null
        country: string
      sink:
        table: main.sales.orders
        dead-letter-table: main.sales.orders_rejected
        catalog:
          type: unity
          uri: embedded
          token: s3cret
          dir: /tmp/catalog
        create: true
        partition-by: [country]
        target-file-size: 64MB
        max-open-files: 32
        log-checkpoint-interval: 10
        parallelism: 2
        hadoop: {}
        commit-max-attempts: 10
        commit-retry-backoff: 100ms
        table-properties: {}
        compaction:
          enabled: true
          min-files: 10
          small-file-size: 16MB
          max-bytes: 1GB
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
  private static final String CATALOG_URI = "expected `embedded` or the catalog's https base URI "
      + "such as https://uc.example.com (plain http only on a loopback address, without "
      + "/api/2.1/unity-catalog)";
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
        bad("source.partition-discovery-interval", "often", "8:33: source.partition-discovery-interval: expected a duration such as 500ms, 10s, 5m, 1h or 7d, got 'often'"),
        bad("source.partition-discovery-interval", "-1s", "8:33: source.partition-discovery-interval: expected a duration such as 500ms, 10s, 5m, 1h or 7d, got '-1s'"),
        bad("source.partition-discovery-interval", "99999999999999999999s", "8:33: source.partition-discovery-interval: expected a duration of at most 106751d, got '99999999999999999999s'"),
        bad("source.on-missing-offset", "skip", "9:22: source.on-missing-offset: expected fail, earliest or latest, got 'skip'"),
        bad("source.on-error", "drop", "10:13: source.on-error: expected fail, skip or dead-letter, got 'drop'"),
        bad("source.group-id", "[a, b]", "11:13: source.group-id: expected a single value, got a list"),
        bad("source.properties", "none", "12:15: source.properties: expected a mapping of fields, got 'none'"),
        bad("source.properties", "{isolation.level: read_uncommitted}", "12:15: source.properties: consumer property 'isolation.level' is set by the Kafka source itself and cannot be overridden (reserved: [auto.offset.reset, bootstrap.servers, enable.auto.commit, isolation.level, key.deserializer, value.deserializer])"),
        bad("sink.table", "''", "17:10: sink.table: must not be empty"),
        bad("sink.dead-letter-table", "''", "18:22: sink.dead-letter-table: must not be empty"),
        bad("sink.dead-letter-table", "rejected", "18:22: sink.dead-letter-table: a Unity Catalog table is named catalog.schema.table, got 'rejected'"),
        bad("sink.dead-letter-table", "main.sales.orders", "18:22: sink.dead-letter-table: the dead-letter table must be another table than sink.table"),
        bad("sink.catalog.type", "hive", "20:11: sink.catalog.type: expected filesystem or unity, got 'hive'"),
        bad("sink.catalog.uri", "ftp://uc.example.com", "21:10: sink.catalog.uri: " + CATALOG_URI + ", got 'ftp://uc.example.com'"),
        bad("sink.catalog.token", "[a]", "22:12: sink.catalog.token: expected a single value, got a list"),
        bad("sink.catalog.dir", "''", "23:10: sink.catalog.dir: must not be empty"),
        bad("sink.create", "maybe", "24:11: sink.create: expected true or false, got 'maybe'"),
        bad("sink.partition-by", "country", "25:17: sink.partition-by: expected a list, got 'country'"),
        bad("sink.partition-by", "[region]", "25:18: sink.partition-by[0]: partition column 'region' is not a field of the schema"),
        bad("sink.partition-by", "[country, country]", "25:27: sink.partition-by[1]: partition column 'country' is listed twice"),
        bad("sink.partition-by", "[order_id, country]", "25:17: sink.partition-by: at least one schema field must not be a partition column"),
        bad("sink.target-file-size", "lots", "26:21: sink.target-file-size: expected a size such as 128MB, 512KB or a number of bytes, got 'lots'"),
        bad("sink.target-file-size", "''", "26:21: sink.target-file-size: expected a size such as 128MB, 512KB or a number of bytes, got ''"),
        bad("sink.target-file-size", "1000", "26:21: sink.target-file-size: must be at least 1KB"),
        bad("sink.target-file-size", "17179869185GB", "26:21: sink.target-file-size: expected a size of at most 8589934591GB, got '17179869185GB'"),
        bad("sink.target-file-size", "99999999999999999999", "26:21: sink.target-file-size: expected a size of at most 8589934591GB, got '99999999999999999999'"),
        bad("sink.max-open-files", "0", "27:19: sink.max-open-files: must be at least 1"),
        bad("sink.max-open-files", "99999999999999999999", "27:19: sink.max-open-files: " + WHOLE_INT + ", got '99999999999999999999'"),
        bad("sink.log-checkpoint-interval", "-1", "28:28: sink.log-checkpoint-interval: must be at least 0"),
        bad("sink.log-checkpoint-interval", "ten", "28:28: sink.log-checkpoint-interval: expected a whole number, got 'ten'"),
        bad("sink.parallelism", "0", "29:16: sink.parallelism: must be at least 1"),
        bad("sink.parallelism", "99999999999999999999", "29:16: sink.parallelism: " + WHOLE_INT + ", got '99999999999999999999'"),
        bad("sink.hadoop", "[a]", "30:11: sink.hadoop: expected a mapping of fields, got a list"),
        bad("sink.commit-max-attempts", "0", "31:24: sink.commit-max-attempts: must be at least 1"),
        bad("sink.commit-max-attempts", "99999999999999999999", "31:24: sink.commit-max-attempts: " + WHOLE_INT + ", got '99999999999999999999'"),
        bad("sink.commit-retry-backoff", "-1s", "32:25: sink.commit-retry-backoff: expected a duration such as 500ms, 10s, 5m, 1h or 7d, got '-1s'"),
        bad("sink.table-properties", "[a]", "33:21: sink.table-properties: expected a mapping of fields, got a list"),
        bad("sink.compaction.enabled", "sometimes", "35:14: sink.compaction.enabled: expected true or false, got 'sometimes'"),
        bad("sink.compaction.min-files", "1", "36:16: sink.compaction.min-files: must be at least 2"),
        bad("sink.compaction.min-files", "99999999999999999999", "36:16: sink.compaction.min-files: " + WHOLE_INT + ", got '99999999999999999999'"),
        bad("sink.compaction.small-file-size", "tiny", "37:22: sink.compaction.small-file-size: expected a size such as 128MB, 512KB or a number of bytes, got 'tiny'"),
        bad("sink.compaction.max-bytes", "17179869185GB", "38:16: sink.compaction.max-bytes: expected a size of at most 8589934591GB, got '17179869185GB'"),
        bad("checkpoint.interval", "0s", "40:13: checkpoint.interval: must be longer than zero"),
        bad("checkpoint.interval", "5 parsecs", "40:13: checkpoint.interval: expected a duration such as 500ms, 10s, 5m, 1h or 7d, got '5 parsecs'"),
        bad("checkpoint.interval", "106752d", "40:13: checkpoint.interval: expected a duration of at most 106751d, got '106752d'"),
        bad("checkpoint.dir", "\"\"", "41:8: checkpoint.dir: must not be empty"),
        bad("checkpoint.timeout", "0ms", "42:12: checkpoint.timeout: must be longer than zero"),
        bad("checkpoint.timeout", "-1m", "42:12: checkpoint.timeout: expected a duration such as 500ms, 10s, 5m, 1h or 7d, got '-1m'"),
        bad("checkpoint.timeout", "106752d", "42:12: checkpoint.timeout: expected a duration of at most 106751d, got '106752d'"),
        bad("checkpoint.retained", "0", "43:13: checkpoint.retained: must be at least 1"),
        bad("checkpoint.retained", "99999999999999999999", "43:13: checkpoint.retained: " + WHOLE_INT + ", got '99999999999999999999'"),
        bad("restart.attempts", "-1", "45:13: restart.attempts: must be at least 0"),
        bad("restart.attempts", "many", "45:13: restart.attempts: expected a whole number, got 'many'"),
        bad("restart.attempts", "99999999999999999999", "45:13: restart.attempts: " + WHOLE_INT + ", got '99999999999999999999'"),
        bad("restart.delay", "99999999999999999999s", "46:10: restart.delay: expected a duration of at most 106751d, got '99999999999999999999s'"),
        bad("state.backend", "disk", "48:12: state.backend: expected heap or rocksdb, got 'disk'"),
        bad("state.dir", "''", "49:8: state.dir: must not be empty"),
        bad("state.max-parallelism", "0", "50:20: state.max-parallelism: must be from 1 to 32768"),
        bad("state.max-parallelism", "32769", "50:20: state.max-parallelism: must be from 1 to 32768"),
        bad("state.max-parallelism", "99999999999999999999", "50:20: state.max-parallelism: " + WHOLE_INT + ", got '99999999999999999999'"),
        bad("state.rocksdb.memory", "1MB", "52:13: state.rocksdb.memory: must be at least 16MB"),
        bad("state.rocksdb.memory", "lots", "52:13: state.rocksdb.memory: expected a size such as 128MB, 512KB or a number of bytes, got 'lots'"),
        bad("state.rocksdb.memory", "17179869185GB", "52:13: state.rocksdb.memory: expected a size of at most 8589934591GB, got '17179869185GB'"));
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
  void everyFieldOfAPipelineFileHasItsCases() {
    Set<String> fields = badValues().map(arguments -> (String) arguments.get()[0])
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(PipelineOptions.BY_PATH.keySet()), fields);
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
