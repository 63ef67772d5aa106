package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitClients;
import io.sluice.engine.JobFailedException;
import io.sluice.engine.JobResult;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.testing.DeltaTableReader;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.config.PipelineConfig;
import io.sluice.service.config.PipelineConfigLoader;
import io.sluice.service.internal.PipelineJob;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.service.internal.TableSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
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

  private static PipelineConfig config(LocalKafkaBroker broker, String topic, Path dir, String sinkParallelism) {
    String yaml = SyntheticEventsPipeline.yaml("e2e-pipeline", broker.bootstrapServers(), topic, true, 2,
        dir.resolve("table").toString(), "partition-by: [event_type]\n" + sinkParallelism, "1s",
        dir.resolve("checkpoints"), "");
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
