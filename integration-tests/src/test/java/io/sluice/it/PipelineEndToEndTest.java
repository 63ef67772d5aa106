package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitClients;
import io.sluice.catalogserver.CatalogServer;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.sluice.engine.JobFailedException;
import io.sluice.engine.JobResult;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.testing.DeltaTableReader;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.config.PipelineConfig;
import io.sluice.service.config.PipelineConfigLoader;
import io.sluice.service.internal.PipelineJob;
import io.sluice.service.internal.PipelineRun;
import io.sluice.service.internal.RunOptions;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.service.internal.TableSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline file run in this JVM against the real broker, its table read back with Kernel. */
@ExtendWith(LocalKafkaExtension.class)
class PipelineEndToEndTest {
  private static final long SEED = 7;

  @Test
  void boundedRunIngestsEveryFieldOfEveryEventThroughARebalance(LocalKafkaBroker broker, @TempDir Path dir)
      throws Exception {
    int events = 20_000;
    broker.createTopic("e2e", 4);
    SyntheticEvents.produce(broker.bootstrapServers(), "e2e", SEED, 0, events);
    // Source parallelism 2, sink parallelism 3: records cross a rebalancing exchange.
    PipelineConfig config = config(broker, "e2e", dir, "parallelism: 3");

    JobResult result = PipelineJob.create(config, broker.bootstrapServers()).environment().execute();

    assertEquals(events, result.recordsWritten());
    DeltaTableReader reader = new DeltaTableReader(dir.resolve("table").toString());
    List<Object[]> rows = reader.read(List.of("event_id", "user_id", "event_type", "amount", "country", "payload"));
    assertEquals(events, rows.size());
    Map<String, Long> indexById = new HashMap<>();
    for (long i = 0; i < events; i++) {
      indexById.put(SyntheticEvents.eventId(SEED, i), i);
    }
    for (Object[] row : rows) {
      Long i = indexById.remove((String) row[0]);
      assertTrue(i != null, "unexpected or duplicate event " + row[0]);
      assertEquals(SyntheticEvents.userId(SEED, i), row[1]);
      assertEquals(SyntheticEvents.eventType(SEED, i), row[2]);
      assertEquals(SyntheticEvents.amountCents(SEED, i) / 100.0, (Double) row[3], 1e-9);
      assertEquals(SyntheticEvents.country(SEED, i), row[4]);
      assertTrue(((String) row[5]).length() >= 90, "payload kept whole");
    }
    assertTrue(indexById.isEmpty(), indexById.size() + " events missing");
    assertEquals(Long.valueOf(result.lastCompletedCheckpointId()),
        reader.transactionVersion("e2e-pipeline/table").orElseThrow());
    for (String type : SyntheticEvents.EVENT_TYPES) {
      assertTrue(Files.isDirectory(dir.resolve("table").resolve("event_type=" + type)), type);
    }
    assertStatsOnEveryAddedFile(dir.resolve("table"));

    ByteArrayOutputStream summary = new ByteArrayOutputStream();
    try (TableCommitClient client =
        TableCommitClients.fileSystem(dir.resolve("table").toString(), CommitClientConfig.defaults())) {
      assertTrue(TableSummary.print(client, false, new PrintStream(summary, true), System.err));
    }
    assertTrue(summary.toString().contains("rows:       " + events + "\n"), summary::toString);
    assertTrue(summary.toString().contains("partitions: event_type\n"), summary::toString);
  }

  @Test
  void malformedRecordFailsTheRunNamingTopicPartitionAndOffset(LocalKafkaBroker broker, @TempDir Path dir)
      throws Exception {
    broker.createTopic("bad-json", 1);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(broker),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < 5; i++) {
        producer.send(new ProducerRecord<>("bad-json", SyntheticEvents.eventJson(SEED, i, 0).getBytes(StandardCharsets.UTF_8)));
      }
      producer.send(new ProducerRecord<>("bad-json", "{\"event_id\": \"x\", \"user_id\": \"not a number\"}".getBytes(StandardCharsets.UTF_8)));
    }
    PipelineConfig config = config(broker, "bad-json", dir, "parallelism: 1");

    JobFailedException e = assertThrows(JobFailedException.class,
        () -> PipelineJob.create(config, broker.bootstrapServers()).environment().execute());

    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    assertTrue(root.getMessage().contains("topic 'bad-json' partition 0 offset 5, field 'user_id'"), root.getMessage());
  }

  /**
   * With {@code on-error: dead-letter} the malformed records (of every kind, a tombstone, bytes that
   * are not text) land in the dead-letter table beside the table, with its exact schema, each
   * with its raw bytes, position, error and field; the table holds every other event.
   */
  @Test
  void malformedRecordsLandInTheDeadLetterTableWithItsExactSchemaAndRows(LocalKafkaBroker broker,
      @TempDir Path dir) throws Exception {
    int events = 3_000;
    int every = 50;
    broker.createTopic("dead-letters", 4);
    SyntheticEvents.produceWithMalformed(broker.bootstrapServers(), "dead-letters", SEED, 0, events, every);
    byte[] notText = {(byte) 0xC3, 0x28, 0, (byte) 0xFF};
    long sentAt = 1_767_225_600_000L;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(broker),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<byte[], byte[]>("dead-letters", 1, sentAt, "gone".getBytes(StandardCharsets.UTF_8), null)).get();
      producer.send(new ProducerRecord<byte[], byte[]>("dead-letters", 2, sentAt, null, notText)).get();
    }
    PipelineConfig config = config(broker, "dead-letters", dir, "on-error: dead-letter", "parallelism: 3");

    PipelineJob job = PipelineJob.create(config, broker.bootstrapServers());
    JobResult result = job.environment().execute();

    int malformed = events / every;
    assertEquals(events + 2, result.recordsWritten(), "rows and dead letters");
    assertEquals(malformed + 2, job.source().metrics().recordsDeadLettered());
    assertEquals(0, job.source().metrics().recordsSkipped());
    Set<String> good = new HashSet<>();
    for (long i = 0; i < events; i++) {
      if (!SyntheticEvents.isMalformed(i, every)) {
        good.add(SyntheticEvents.eventId(SEED, i));
      }
    }
    assertEquals(good, eventIds(new DeltaTableReader(dir.resolve("table").toString())));

    DeltaTableReader deadLetters = new DeltaTableReader(dir.resolve("table_dead_letters").toString());
    assertEquals(new StructType()
            .add("key", BinaryType.BINARY, true)
            .add("value", BinaryType.BINARY, true)
            .add("topic", StringType.STRING, false)
            .add("partition", IntegerType.INTEGER, false)
            .add("offset", LongType.LONG, false)
            .add("timestamp", TimestampType.TIMESTAMP, true)
            .add("error", StringType.STRING, false)
            .add("field", StringType.STRING, true)
            .add("pipeline", StringType.STRING, false)
            .add("dead_lettered_at", TimestampType.TIMESTAMP, false),
        deadLetters.snapshot().getSchema());
    assertEquals(List.of(), deadLetters.snapshot().getPartitionColumnNames());
    assertEquals(Long.valueOf(result.lastCompletedCheckpointId()),
        deadLetters.transactionVersion("e2e-pipeline/dead-letters").orElseThrow());

    List<Object[]> rows = deadLetters.read(List.of("key", "value", "topic", "partition", "offset",
        "timestamp", "error", "field", "pipeline", "dead_lettered_at"));
    assertEquals(malformed + 2, rows.size());
    Set<String> positions = new HashSet<>();
    Set<Long> indexes = new HashSet<>();
    for (Object[] row : rows) {
      assertEquals("dead-letters", row[2]);
      assertTrue(positions.add(row[3] + "/" + row[4]), "one dead letter per record");
      assertEquals("e2e-pipeline", row[8]);
      assertTrue((Long) row[9] > 0);
      if (row[0] == null) {
        assertArrayEquals(notText, (byte[]) row[1]);
        assertEquals(2, row[3]);
        assertEquals(sentAt * 1000, row[5]);
        assertTrue(((String) row[6]).startsWith("invalid JSON: "), (String) row[6]);
        continue;
      }
      String key = new String((byte[]) row[0], StandardCharsets.UTF_8);
      if (row[1] == null) {
        assertEquals("gone", key);
        assertEquals(List.of(1, "the record has no value (a tombstone), expected a JSON object"),
            List.of(row[3], row[6]));
        assertNull(row[7]);
        continue;
      }
      long index = UUID.fromString(key).getLeastSignificantBits();
      assertTrue(indexes.add(index));
      assertEquals(SyntheticEvents.partitionOf(index, 4), row[3]);
      String value = new String((byte[]) row[1], StandardCharsets.UTF_8);
      assertEquals(SyntheticEvents.malformedJson(SEED, index, tsOf(value), every), value);
      List<Object> errorAndField = switch (SyntheticEvents.Malformed.of(index, every)) {
        case TRUNCATED -> List.of("invalid JSON: Unexpected end-of-input: expected close marker "
            + "for Object (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` "
            + "disabled); line: 1, column: 1]) at byte " + value.length(), "user_id");
        case WRONG_TYPE -> List.of("expected an integral number (LONG), got a string", "user_id");
        case MISSING_FIELD -> List.of("missing or null, but the field is not nullable", "event_id");
      };
      assertEquals(errorAndField, java.util.Arrays.asList(row[6], row[7]), value);
      assertTrue(row[5] != null);
    }
    assertEquals(malformed, indexes.size());
  }

  /** A catalog table's dead letters go to a table beside it in the same catalog. */
  @Test
  void aCatalogTablesDeadLettersGoThroughTheSameCatalog(LocalKafkaBroker broker, @TempDir Path dir)
      throws Exception {
    broker.createTopic("uc-dead-letters", 2);
    SyntheticEvents.produceWithMalformed(broker.bootstrapServers(), "uc-dead-letters", SEED, 0, 1_000, 20);
    try (CatalogServer server = CatalogServer.builder(dir.resolve("catalog")).createMissingNamespaces(true).start();
        LocalCatalogTable table = new LocalCatalogTable(server.uri(), "main.e2e.events");
        LocalCatalogTable deadLetters = new LocalCatalogTable(server.uri(), "main.e2e.events_dead_letters")) {
      PipelineConfig config = new PipelineConfigLoader(name -> null).parse("uc.yaml",
          SyntheticEventsPipeline.yaml("uc-pipeline", broker.bootstrapServers(), "uc-dead-letters", true,
              2, "on-error: dead-letter", table.name, table.sinkCatalog(), "1s",
              dir.resolve("checkpoints"), ""));

      PipelineJob.create(config, broker.bootstrapServers()).environment().execute();

      assertEquals(950, eventIds(table.reader()).size());
      List<Object[]> letters = deadLetters.reader().read(List.of("offset", "pipeline"));
      assertEquals(50, letters.size());
      assertTrue(deadLetters.reader().transactionVersion("uc-pipeline/dead-letters").isPresent());
      deadLetters.reader().assertCatalogManagedAndPublished();
    }
  }

  /**
   * With {@code on-error: skip} the malformed records are dropped and counted in the run's summary;
   * there is no dead-letter table.
   */
  @Test
  void skippedMalformedRecordsAreCountedInTheRunSummary(LocalKafkaBroker broker, @TempDir Path dir)
      throws Exception {
    broker.createTopic("skipped", 2);
    SyntheticEvents.produceWithMalformed(broker.bootstrapServers(), "skipped", SEED, 0, 1_000, 40);
    PipelineConfig config = new PipelineConfigLoader(name -> null).parse("skipped.yaml",
        SyntheticEventsPipeline.yaml("skip-pipeline", broker.bootstrapServers(), "skipped", true, 2,
            "on-error: skip", dir.resolve("table").toString(), "", "1s", dir.resolve("checkpoints"),
            ""));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    assertEquals(0, new PipelineRun(config, RunOptions.NONE, new PrintStream(out, true),
        new PrintStream(err, true)).run(), err::toString);

    String finished = out.toString().lines().filter(line -> line.contains("' finished: "))
        .findFirst().orElseThrow(() -> new AssertionError(out.toString()));
    assertTrue(finished.startsWith("sluice: pipeline 'skip-pipeline' finished: 975 records in "), finished);
    assertTrue(finished.endsWith(", 25 malformed records skipped"), finished);
    assertEquals(975, eventIds(new DeltaTableReader(dir.resolve("table").toString())).size());
    assertFalse(Files.exists(dir.resolve("table_dead_letters")));
  }

  private static Set<String> eventIds(DeltaTableReader table) throws Exception {
    List<Object[]> rows = table.read(List.of("event_id"));
    Set<String> ids = new HashSet<>();
    rows.forEach(row -> assertTrue(ids.add((String) row[0]), "twice: " + row[0]));
    return ids;
  }

  private static long tsOf(String json) {
    Matcher ts = Pattern.compile("\"ts\":(\\d+)").matcher(json);
    return ts.find() ? Long.parseLong(ts.group(1)) : 0;
  }

  private static Properties producerProperties(LocalKafkaBroker broker) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    return props;
  }

  private static PipelineConfig config(LocalKafkaBroker broker, String topic, Path dir, String sinkParallelism) {
    return config(broker, topic, dir, "", sinkParallelism);
  }

  private static PipelineConfig config(LocalKafkaBroker broker, String topic, Path dir,
      String sourceOptions, String sinkParallelism) {
    String yaml = SyntheticEventsPipeline.yaml("e2e-pipeline", broker.bootstrapServers(), topic, true, 2,
        sourceOptions, dir.resolve("table").toString(), "partition-by: [event_type]\n" + sinkParallelism,
        "1s", dir.resolve("checkpoints"), "");
    return new PipelineConfigLoader(name -> null).parse(topic + ".yaml", yaml);
  }

  private static void assertStatsOnEveryAddedFile(Path table) throws Exception {
    ObjectMapper json = new ObjectMapper();
    int adds = 0;
    try (Stream<Path> commits = Files.list(table.resolve("_delta_log"))) {
      for (Path commit : commits.filter(p -> p.toString().endsWith(".json")).toList()) {
        for (String line : Files.readAllLines(commit)) {
          JsonNode add = json.readTree(line).get("add");
          if (add == null) {
            continue;
          }
          adds++;
          JsonNode stats = json.readTree(add.get("stats").asText());
          assertTrue(stats.get("numRecords").asLong() > 0, line);
          assertTrue(stats.get("minValues").has("user_id") && stats.get("maxValues").has("user_id"), line);
          assertEquals(0, stats.get("nullCount").get("event_id").asLong(), line);
        }
      }
    }
    assertTrue(adds > 0, "the log has add actions");
  }
}
