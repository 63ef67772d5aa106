package io.sluice.localkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.localkafka.junit.LocalKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalKafkaExtension.class)
class LocalKafkaBrokerTest {

  @Test
  void producedEventsComeBackFromEveryPartition(LocalKafkaBroker broker) {
    broker.createTopic("round-trip", 4);
    SyntheticEvents.produce(broker.bootstrapServers(), "round-trip", 11, 0, 1_000);

    Map<Integer, Set<String>> idsByPartition = consumeAll(broker.bootstrapServers(), "round-trip",
        4, 1_000);
    Set<String> all = new HashSet<>();
    for (int p = 0; p < 4; p++) {
      assertEquals(250, idsByPartition.get(p).size(), "events in partition " + p);
      for (String id : idsByPartition.get(p)) {
        long index = Long.parseLong(id.substring(id.length() - 12), 16);
        assertEquals(p, SyntheticEvents.partitionOf(index, 4));
      }
      all.addAll(idsByPartition.get(p));
    }
    Set<String> expected = new HashSet<>();
    for (long i = 0; i < 1_000; i++) {
      expected.add(SyntheticEvents.eventId(11, i));
    }
    assertEquals(expected, all);
  }

  @Test
  void createTopicRejectsAnExistingTopic(LocalKafkaBroker broker) {
    broker.createTopic("twice", 1);
    assertThrows(IllegalStateException.class, () -> broker.createTopic("twice", 1));
    assertFalse(broker.createTopicIfAbsent("twice", 3));
    assertTrue(broker.createTopicIfAbsent("once", 3));
  }

  @Test
  void continuousProducerKeepsItsRate(LocalKafkaBroker broker) throws Exception {
    broker.createTopic("continuous", 2);
    SyntheticEvents.ContinuousProducer producer =
        SyntheticEvents.startContinuous(broker.bootstrapServers(), "continuous", 500);
    Thread.sleep(1_000);
    producer.close();
    long produced = producer.produced();
    assertTrue(produced >= 300 && produced <= 700, "produced " + produced + " at 500/s in ~1 s");
    assertEquals(null, producer.failure());
    assertEquals(produced, consumeAll(broker.bootstrapServers(), "continuous", 2, produced)
        .values().stream().mapToInt(Set::size).sum());
  }

  /**
   * A broker of its own: stops on close, and a restart on its data and port, where its clients
   * look for it, keeps the records.
   */
  @Test
  void restartOnTheSameDataDirectoryKeepsTopicsAndRecords(@TempDir Path dir) {
    String firstBootstrap;
    int firstPort;
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir)) {
      firstBootstrap = broker.bootstrapServers();
      firstPort = broker.port();
      broker.createTopic("kept", 2);
      SyntheticEvents.produce(broker.bootstrapServers(), "kept", 3, 0, 100);
      broker.close();
      assertFalse(broker.isAlive(), "the child JVM exits on close");
      assertTrue(Files.exists(broker.logFile()));
    }
    try (LocalKafkaBroker again = LocalKafkaBroker.start(dir, firstPort, Map.of())) {
      assertEquals(firstBootstrap, again.bootstrapServers());
      assertEquals(100, consumeAll(firstBootstrap, "kept", 2, 100).values().stream()
          .mapToInt(Set::size).sum(), "records kept across a restart");
    }
  }

  static Map<Integer, Set<String>> consumeAll(String bootstrap, String topic, int partitions,
      long expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    Map<Integer, Set<String>> ids = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int i = 0; i < partitions; i++) {
        tps.add(new TopicPartition(topic, i));
        ids.put(i, new HashSet<>());
      }
      consumer.assign(tps);
      long seen = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (seen < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          String value = new String(r.value(), StandardCharsets.UTF_8);
          String id = value.substring(13, 49);
          assertEquals(id, new String(r.key(), StandardCharsets.UTF_8), "key is the event id");
          ids.get(r.partition()).add(id);
          seen++;
        }
      }
    }
    return ids;
  }
}
