package io.sluice.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.delta.DeltaSinkConfig;
import io.sluice.delta.DeltaSinkOptions;
import io.sluice.engine.JobConfig;
import io.sluice.engine.JobOptions;
import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.kafka.KafkaSourceOptions;
import io.sluice.kafka.MalformedRecordPolicy;
import io.sluice.kafka.OffsetResetPolicy;
import io.sluice.kafka.StartPosition;
import io.sluice.service.internal.PipelineJob;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineConfigLoaderTest {
  private static final String VALID = """
      pipeline: orders-eu
      source:
        bootstrap: ${KAFKA:-localhost:9092}
        topic: orders
        start: 2026-01-31T00:00:00Z
        parallelism: 2
        properties:
          fetch.min.bytes: "1024"
      schema:
        order_id: string not null
        amount: double
        placed_at: timestamp
        country: string
      sink:
        table: /tmp/tables/orders
        partition-by: [country]
        target-file-size: 64MB
      checkpoint:
        interval: 5s
        dir: /tmp/checkpoints/orders
      """;

  private final PipelineConfigLoader loader =
      new PipelineConfigLoader(Map.of("X", "1", "UC_TOKEN", "s3cret")::get);

  @Test
  void readsEveryFieldAndAppliesDefaults() {
    PipelineConfig c = loader.parse("p.yaml", VALID);
    assertEquals("orders-eu", c.id());
    assertEquals("localhost:9092", c.source().bootstrap());
    assertEquals(StartPosition.Kind.TIMESTAMP, c.source().start().kind());
    assertEquals(1769817600000L, c.source().start().timestampMillis());
    assertEquals(2, c.source().parallelism());
    assertFalse(c.source().bounded());
    assertEquals(Map.of("fetch.min.bytes", "1024"), c.source().properties());
    assertEquals(OffsetResetPolicy.FAIL, c.source().onMissingOffset());
    assertEquals(
        List.of(
            new Field("order_id", FieldType.STRING, false),
            new Field("amount", FieldType.DOUBLE, true),
            new Field("placed_at", FieldType.TIMESTAMP, true),
            new Field("country", FieldType.STRING, true)),
        c.schema().fields());
    assertEquals(List.of("country"), c.sink().partitionBy());
    assertEquals(64L << 20, c.sink().targetFileSizeBytes());
    assertEquals(32, c.sink().maxOpenFiles());
    assertEquals(10, c.sink().logCheckpointInterval());
    assertEquals(new DeltaSinkConfig.Compaction(true, 10, 32L << 20, 1L << 30), c.sink().compaction());
    assertEquals(Map.of(), c.sink().tableProperties());
    assertEquals(Duration.ofSeconds(5), c.checkpoint().interval());
    assertEquals(Path.of("/tmp/checkpoints/orders"), c.checkpoint().directory());
    assertEquals(3, c.restart().attempts());
  }

  @Test
  void leftOutFieldsTakeTheCatalogueDefaults() {
    PipelineConfig c = loader.parse("p.yaml", """
        pipeline: p
        source: {bootstrap: b, topic: t}
        schema: {id: string}
        sink: {table: t}
        checkpoint: {dir: c}
        """);
    assertEquals(KafkaSourceOptions.START.defaultValue(), c.source().start());
    assertEquals(KafkaSourceOptions.BOUNDED.defaultValue(), c.source().bounded());
    assertEquals(KafkaSourceOptions.PARALLELISM.defaultValue(), c.source().parallelism());
    assertEquals(Optional.empty(), c.source().groupId());
    assertEquals(KafkaSourceOptions.ON_MISSING_OFFSET.defaultValue(), c.source().onMissingOffset());
    assertEquals(KafkaSourceOptions.PROPERTIES.defaultValue(), c.source().properties());
    assertEquals(DeltaSinkOptions.PARTITION_BY.defaultValue(), c.sink().partitionBy());
    assertEquals(DeltaSinkOptions.TARGET_FILE_SIZE.defaultValue(), c.sink().targetFileSizeBytes());
    assertEquals(DeltaSinkOptions.MAX_OPEN_FILES.defaultValue(), c.sink().maxOpenFiles());
    assertEquals(DeltaSinkOptions.LOG_CHECKPOINT_INTERVAL.defaultValue(), c.sink().logCheckpointInterval());
    assertEquals(c.source().parallelism(), c.sink().parallelism());
    assertEquals(DeltaSinkOptions.HADOOP.defaultValue(), c.sink().hadoop());
    assertEquals(new PipelineConfig.Catalog.FileSystem(), c.sink().catalog());
    assertEquals(DeltaSinkOptions.CREATE.defaultValue(), c.sink().create());
    assertEquals(DeltaSinkOptions.COMMIT_MAX_ATTEMPTS.defaultValue(), c.sink().commitMaxAttempts());
    assertEquals(DeltaSinkOptions.COMMIT_RETRY_BACKOFF.defaultValue(), c.sink().commitRetryBackoff());
    assertEquals(
        new PipelineConfig.Checkpoint(JobOptions.CHECKPOINT_INTERVAL.defaultValue(), Path.of("c"),
            JobOptions.CHECKPOINT_TIMEOUT.defaultValue(), JobOptions.CHECKPOINT_RETAINED.defaultValue()),
        c.checkpoint());
    assertEquals(
        new PipelineConfig.Restart(JobOptions.RESTART_ATTEMPTS.defaultValue(), JobOptions.RESTART_DELAY.defaultValue()),
        c.restart());
  }

  @Test
  void readsCompactionAndTableProperties() {
    PipelineConfig c = loader.parse("p.yaml", VALID.replace("  target-file-size: 64MB\n", """
          target-file-size: 64MB
          compaction:
            enabled: false
            min-files: 4
            small-file-size: 8MB
            max-bytes: 256MB
          table-properties:
            delta.logRetentionDuration: interval 2 days
        """));
    assertEquals(new DeltaSinkConfig.Compaction(false, 4, 8L << 20, 256L << 20), c.sink().compaction());
    assertEquals(Map.of("delta.logRetentionDuration", "interval 2 days"), c.sink().tableProperties());
    ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("p.yaml",
        VALID.replace("  target-file-size: 64MB\n", "  target-file-size: 64MB\n  compaction:\n    min-files: 1\n")));
    assertEquals("p.yaml:19:16: sink.compaction.min-files: must be at least 2", e.getMessage());
  }

  @Test
  void aFieldWithoutValueIsLeftOut() {
    PipelineConfig c = loader.parse("p.yaml", VALID.replace("parallelism: 2", "parallelism:") + "restart:\n");
    assertEquals(KafkaSourceOptions.PARALLELISM.defaultValue(), c.source().parallelism());
    assertEquals(JobOptions.RESTART_ATTEMPTS.defaultValue(), c.restart().attempts());
  }

  @Test
  void theJobGetsTheExchangeDefaultsOfTheCatalogue() {
    JobConfig job = PipelineJob.create(loader.parse("p.yaml", VALID), "localhost:9092").environment().config();
    assertEquals(JobConfig.builder("orders-eu", Path.of("/tmp/checkpoints/orders"))
        .checkpointInterval(Duration.ofSeconds(5))
        .build(), job);
  }

  @Test
  void readsTheOffsetResetPolicy() {
    PipelineConfig c = loader.parse("p.yaml", VALID.replace("parallelism: 2", "parallelism: 2\n  on-missing-offset: Earliest"));
    assertEquals(OffsetResetPolicy.EARLIEST, c.source().onMissingOffset());
  }

  @Test
  void deadLettersGoBesideTheTableUnlessTheFileSaysWhere() {
    assertEquals(MalformedRecordPolicy.FAIL, loader.parse("p.yaml", VALID).source().onError());
    assertEquals(Optional.empty(), loader.parse("p.yaml", VALID).sink().deadLetterTable());
    String deadLetters = VALID.replace("parallelism: 2", "parallelism: 2\n  on-error: dead-letter");
    PipelineConfig c = loader.parse("p.yaml", deadLetters.replace("/tmp/tables/orders", "/tmp/tables/orders/"));
    assertEquals(MalformedRecordPolicy.DEAD_LETTER, c.source().onError());
    assertEquals(Optional.of("/tmp/tables/orders_dead_letters"), c.sink().deadLetterTable());
    assertEquals("orders-eu/dead-letters", PipelineJob.deadLetterAppId(c));
    PipelineConfig given = loader.parse("p.yaml", deadLetters.replace("table: /tmp/tables/orders",
        "table: /tmp/tables/orders\n  dead-letter-table: /tmp/rejected/orders"));
    assertEquals(Optional.of("/tmp/rejected/orders"), given.sink().deadLetterTable());
    PipelineConfig unity = loader.parse("p.yaml", UNITY.replace("topic: t}", "topic: t, on-error: dead-letter}"));
    assertEquals(Optional.of("main.events.clicks_dead_letters"), unity.sink().deadLetterTable());

    assertEquals(MalformedRecordPolicy.SKIP, loader.parse("p.yaml",
        VALID.replace("parallelism: 2", "parallelism: 2\n  on-error: skip")).source().onError());
    assertError(VALID.replace("parallelism: 2", "parallelism: 2\n  on-error: skip")
            .replace("table: /tmp/tables/orders", "table: /tmp/tables/orders\n  dead-letter-table: x"),
        "p.yaml:17:22: sink.dead-letter-table: only with source.on-error: dead-letter (no record is "
            + "dead-lettered with on-error: skip)");
    assertError(deadLetters.replace("table: /tmp/tables/orders",
            "table: /tmp/tables/orders\n  dead-letter-table: /tmp/tables/../tables/orders/"),
        "p.yaml:17:22: sink.dead-letter-table: the dead-letter table must be another table than sink.table");
  }

  @Test
  void substitutesEnvironmentVariables() {
    PipelineConfig c = new PipelineConfigLoader(Map.of("KAFKA", "broker:1")::get).parse("p.yaml", VALID);
    assertEquals("broker:1", c.source().bootstrap());
  }

  @Test
  void missingEnvironmentVariableNamesLineAndVariable() {
    String text = VALID.replace("${KAFKA:-localhost:9092}", "${KAFKA_BOOTSTRAP}");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("p.yaml", text));
    assertEquals(
        "p.yaml:3:14: source.bootstrap: environment variable KAFKA_BOOTSTRAP is not set"
            + " (write ${KAFKA_BOOTSTRAP:-default} for a default)",
        e.getMessage());
  }

  @Test
  void unknownFieldIsNamedWithItsLine() {
    String text = VALID.replace("  target-file-size: 64MB", "  target-file-sise: 64MB");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("p.yaml", text));
    assertTrue(e.getMessage().startsWith("p.yaml:17:21: sink.target-file-sise: unknown field 'target-file-sise'"),
        e.getMessage());
  }

  @Test
  void readsTransformsAndState() {
    PipelineConfig c = loader.parse("p.yaml", VALID + """
        transforms:
          - dedupe:
              key: [order_id, country]
              within: 24h
        state:
          backend: RocksDB
          dir: /data/state/orders
          rocksdb:
            memory: 512MB
        """);
    assertEquals(
        List.of(new Transform.Dedupe(List.of("order_id", "country"), Duration.ofHours(24))),
        c.transforms());
    assertEquals(StateBackendKind.ROCKSDB, c.state().backend());
    assertEquals(Path.of("/data/state/orders"), c.state().directory());
    assertEquals(512L << 20, c.state().rocksDbMemoryBytes());
    assertEquals(128, c.state().maxParallelism());
  }

  @Test
  void withoutTransformsOrStateTheDefaultsApply() {
    PipelineConfig c = loader.parse("p.yaml", VALID);
    assertEquals(List.of(), c.transforms());
    assertEquals(StateBackendKind.HEAP, c.state().backend());
  }

  /** Each bad transform, with the exact error (line 21 is the first line after VALID). */
  @Test
  void badTransformsNameTheField() {
    assertError(VALID + "transforms:\n  - dedupe:\n      key: [order_id]\n",
        "p.yaml:23:7: transforms[0].dedupe: missing required field 'within'");
    assertError(VALID + "transforms:\n  - dedupe:\n      key: [id]\n      within: 1h\n",
        "p.yaml:23:13: transforms[0].dedupe.key[0]: key field 'id' is not a field of the schema");
    assertError(VALID + "transforms:\n  - dedupe:\n      key: []\n      within: 1h\n",
        "p.yaml:23:12: transforms[0].dedupe.key: must name at least one field");
    assertError(VALID + "transforms:\n  - dedupe:\n      key: [order_id, order_id]\n      within: 1h\n",
        "p.yaml:23:23: transforms[0].dedupe.key[1]: key field 'order_id' is listed twice");
    assertError(VALID + "transforms:\n  - dedupe:\n      key: [order_id]\n      within: 0s\n",
        "p.yaml:24:15: transforms[0].dedupe.within: must be longer than zero");
    assertError(VALID + "transforms:\n  - dedupe:\n      key: [order_id]\n      within: 1h\n      by: x\n",
        "p.yaml:25:11: transforms[0].dedupe.by: unknown field 'by' (valid fields here: key, within)");
    assertError(VALID + "transforms:\n  - dedup:\n      key: [order_id]\n",
        "p.yaml:22:5: transforms[0]: unknown transform 'dedup' (transforms: dedupe)");
    assertError(VALID + "transforms:\n  - dedupe\n",
        "p.yaml:22:5: transforms[0]: expected a mapping of fields, got 'dedupe'");
    assertError(VALID + "transforms: dedupe\n",
        "p.yaml:21:13: transforms: expected a list, got 'dedupe'");
  }

  @Test
  void badValuesNameTheField() {
    assertError(VALID.replace("64MB", "lots"), "p.yaml:17:21: sink.target-file-size: expected a size");
    assertError(VALID.replace("interval: 5s", "interval: 5 parsecs"), "p.yaml:19:13: checkpoint.interval: expected a duration");
    assertError(VALID.replace("amount: double", "amount: money"), "p.yaml:11:11: schema.amount: unknown type 'money'");
    assertError(VALID.replace("[country]", "[region]"), "p.yaml:16:18: sink.partition-by[0]: partition column 'region' is not a field");
    assertError(VALID.replace("parallelism: 2", "parallelism: two"), "p.yaml:6:16: source.parallelism: expected a whole number");
    assertError(VALID.replace("parallelism: 2", "parallelism: 2\n  on-missing-offset: skip"),
        "p.yaml:7:22: source.on-missing-offset: expected fail, earliest or latest, got 'skip'");
    assertError(VALID.replace("pipeline: orders-eu", "pipeline: orders/eu"), "p.yaml:1:11: pipeline: 'orders/eu' is not a valid pipeline id");
    assertError(VALID.replace("  topic: orders\n", ""), "p.yaml:3:3: source: missing required field 'topic'");
    assertError(VALID.replace("checkpoint:\n  interval: 5s\n  dir: /tmp/checkpoints/orders\n", "checkpoint: 5s\n"),
        "p.yaml:18:13: checkpoint: expected a mapping of fields, got '5s'");
    assertError(VALID.replace("checkpoint:\n  interval: 5s\n  dir: /tmp/checkpoints/orders\n", ""),
        "p.yaml:1:1: missing required field 'checkpoint'");
    assertError(VALID.replace("  topic: orders\n", "  topic: orders\n  topic: more\n"), "p.yaml:5:3: source: duplicate field 'topic'");
    assertError("pipeline: [unclosed", "p.yaml:1:");
  }

  private static final String UNITY = """
      pipeline: clicks
      source: {bootstrap: b, topic: t}
      schema: {id: string}
      sink:
        catalog:
          type: unity
          uri: https://uc.example.com
          token: ${UC_TOKEN}
        table: main.events.clicks
        create: false
      checkpoint: {dir: c}
      """;

  @Test
  void readsAUnityCatalogSinkAndNeverShowsItsToken() {
    PipelineConfig c = loader.parse("p.yaml", UNITY);
    assertEquals(new PipelineConfig.Catalog.Unity(URI.create("https://uc.example.com"), "s3cret"), c.sink().catalog());
    assertEquals("main.events.clicks", c.sink().table());
    assertFalse(c.sink().create());
    assertEquals("clicks/main.events.clicks", PipelineJob.appId(c));
    assertFalse(c.toString().contains("s3cret"), c::toString);

    PipelineConfig embedded = loader.parse("p.yaml", UNITY.replace("https://uc.example.com", "embedded")
        .replace("token: ${UC_TOKEN}", "dir: data/uc"));
    assertEquals(new PipelineConfig.Catalog.EmbeddedUnity(Path.of("data/uc"), ""), embedded.sink().catalog());
    PipelineConfig byDefault = loader.parse("p.yaml", UNITY.replace("https://uc.example.com", "embedded")
        .replace("    token: ${UC_TOKEN}\n", ""));
    assertEquals(new PipelineConfig.Catalog.EmbeddedUnity(CatalogOptions.DIR.defaultValue(), ""),
        byDefault.sink().catalog());
    PipelineConfig loopback = loader.parse("p.yaml", UNITY.replace("https://uc.example.com", "http://127.0.0.1:8080"));
    assertEquals(URI.create("http://127.0.0.1:8080"), ((PipelineConfig.Catalog.Unity) loopback.sink().catalog()).uri());
  }

  @Test
  void theUnityCatalogExampleIsValid() {
    PipelineConfig c = new PipelineConfigLoader(Map.of("KAFKA_BOOTSTRAP", "kafka:9092",
        "UC_URI", "https://uc.example.com", "UC_TOKEN", "s3cret")::get)
        .load(Path.of("../configs/orders-to-unity-catalog.yaml"));
    assertEquals(new PipelineConfig.Catalog.Unity(URI.create("https://uc.example.com"), "s3cret"), c.sink().catalog());
    assertEquals("orders-eu-uc/sales.eu.orders", PipelineJob.appId(c));
  }

  @Test
  void catalogFieldsMustFitTheCatalog() {
    String uriError = "sink.catalog.uri: expected `embedded` or the catalog's https base URI such as"
        + " https://uc.example.com (plain http only on a loopback address, without /api/2.1/unity-catalog), got ";
    assertError(UNITY.replace("https://uc.example.com", "http://uc.example.com"),
        "p.yaml:7:10: " + uriError + "'http://uc.example.com'");
    assertError(UNITY.replace("https://uc.example.com", "https://uc.example.com/api/2.1/unity-catalog"),
        "p.yaml:7:10: " + uriError + "'https://uc.example.com/api/2.1/unity-catalog'");
    assertError(UNITY.replace("https://uc.example.com", "uc.example.com"), "p.yaml:7:10: " + uriError + "'uc.example.com'");
    assertError(UNITY.replace("    uri: https://uc.example.com\n", ""),
        "p.yaml:6:5: sink.catalog: missing required field 'uri' (required with type: unity)");
    assertError(UNITY.replace("type: unity", "type: hive"), "p.yaml:6:11: sink.catalog.type: expected filesystem or unity, got 'hive'");
    assertError(UNITY.replace("main.events.clicks", "data/tables/clicks"),
        "p.yaml:9:10: sink.table: a Unity Catalog table is named catalog.schema.table, got 'data/tables/clicks'");
    assertError(UNITY.replace("main.events.clicks", "events.clicks"),
        "p.yaml:9:10: sink.table: a Unity Catalog table is named catalog.schema.table, got 'events.clicks'");
    assertError(UNITY.replace("type: unity", "type: filesystem"),
        "p.yaml:7:10: sink.catalog.uri: only with type: unity (a filesystem table has no catalog to reach)");
    assertError(UNITY.replace("token: ${UC_TOKEN}", "dir: data/uc"),
        "p.yaml:8:10: sink.catalog.dir: only with uri: embedded (where the local catalog server keeps its state)");
    assertError(UNITY.replace("token:", "tokn:"), "p.yaml:8:11: sink.catalog.tokn: unknown field 'tokn' (valid fields here: type, uri, token, dir)");
    assertError(UNITY.replace("create: false", "create: maybe"), "p.yaml:10:11: sink.create: expected true or false, got 'maybe'");
  }

  @Test
  void readsAFileAndNamesItInErrors() throws Exception {
    Path file = Files.createTempFile("pipeline", ".yaml");
    Files.writeString(file, VALID.replace("topic: orders", "topic:"));
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertTrue(e.getMessage().startsWith(file + ":3:3: source: missing required field 'topic'"), e.getMessage());
  }

  private void assertError(String text, String expectedPrefix) {
    ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("p.yaml", text));
    assertTrue(e.getMessage().startsWith(expectedPrefix), () -> "got: " + e.getMessage());
  }
}
