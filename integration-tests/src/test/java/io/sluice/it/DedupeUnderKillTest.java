package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.testing.DeltaTableReader;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.internal.SyntheticEventsPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stateful exactly-once proof: 1,000,000 events, a quarter of them re-sent as duplicates (same
 * event id, another partition and offset), into a pipeline with {@code dedupe} on the event id,
 * killed with SIGKILL at random moments while events and duplicates keep arriving; once with each
 * state backend. The table must hold every distinct event id exactly once: the dedupe state is
 * restored with the offsets it belongs to, so no duplicate gets through and no first copy is lost.
 */
@ExtendWith(LocalKafkaExtension.class)
class DedupeUnderKillTest {
  private static final int EVENTS = 1_000_000;
  private static final int DUPLICATE_STRIDE = 4; // every 4th event is sent twice
  private static final int EARLY_EVENTS = 200_000;
  private static final int CHUNK = 10_000;
  private static final int KILLS = 5;
  private static final long SEED = 20261126L;

  @ParameterizedTest(name = "state backend {0}")
  @ValueSource(strings = {"heap"})
  void everyDistinctEventLandsOnceDespiteDuplicatesAndSigkill(
      String backend, LocalKafkaBroker broker, @TempDir Path dir) throws Exception {
    String topic = "dedupe-" + backend;
    String bootstrap = broker.bootstrapServers();
    broker.createTopic(topic, 4);
    SyntheticEvents.produce(bootstrap, topic, SEED, 0, EARLY_EVENTS);
    SyntheticEvents.resend(bootstrap, topic, SEED, 0, EARLY_EVENTS, DUPLICATE_STRIDE);
    Path table = dir.resolve("table");
    Path streaming = writeConfig(dir, "streaming.yaml", bootstrap, topic, backend, false);
    DeltaTableReader reader = new DeltaTableReader(table.toString());
    try (KillLoop.LateProducer producer = new KillLoop.LateProducer(EARLY_EVENTS, EVENTS, CHUNK, 1_000,
        from -> {
          SyntheticEvents.produce(bootstrap, topic, SEED, from, CHUNK);
          SyntheticEvents.resend(bootstrap, topic, SEED, from, CHUNK, DUPLICATE_STRIDE);
        })) {
      KillLoop.killRepeatedly(dir, reader, KILLS, new Random(SEED), producer,
          "run", streaming.toString());
    }
    assertEquals(EVENTS + EVENTS / DUPLICATE_STRIDE, recordsIn(bootstrap, topic),
        "the topic holds every event and the re-sent duplicates");

    Path bounded = writeConfig(dir, "bounded.yaml", bootstrap, topic, backend, true);
    PipelineProcess last = PipelineProcess.start(dir.resolve("final.log"), "run", bounded.toString());
    assertEquals(0, last.awaitExit(300), () -> "final run failed:\n" + KillLoop.tail(last));

    List<Object[]> rows = reader.read(List.of("event_id"));
    System.out.printf("%s: final table version %d, %d rows%n",
        backend, reader.snapshot().getVersion(), rows.size());
    Set<String> ids = new HashSet<>();
    for (Object[] row : rows) {
      ids.add((String) row[0]);
    }
    assertEquals(EVENTS, rows.size(), "rows in the table (duplicates make it larger, loss smaller)");
    for (long i = 0; i < EVENTS; i++) {
      if (!ids.contains(SyntheticEvents.eventId(SEED, i))) {
        throw new AssertionError("event " + i + " is missing from the table");
      }
    }
  }

  private static Path writeConfig(
      Path dir, String name, String bootstrap, String topic, String backend, boolean bounded)
      throws Exception {
    String sections = """
        transforms:
          - dedupe:
              key: [event_id]
              within: 1h
        state:
          backend: %s
          dir: %s
        """.formatted(backend, dir.resolve("state"));
    Path file = dir.resolve(name);
    Files.writeString(file, SyntheticEventsPipeline.yaml("dedupe-pipeline", bootstrap, topic,
        bounded, 2, dir.resolve("table").toString(), "target-file-size: 8MB", "1s",
        dir.resolve("checkpoints"), sections));
    return file;
  }

  private static long recordsIn(String bootstrap, String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition()))
          .toList();
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      return ends.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
