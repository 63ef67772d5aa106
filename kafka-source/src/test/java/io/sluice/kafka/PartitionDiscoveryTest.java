package io.sluice.kafka;

import static io.sluice.kafka.TestSupport.SIMPLE;
import static io.sluice.kafka.TestSupport.closeAll;
import static io.sluice.kafka.TestSupport.openAll;
import static io.sluice.kafka.TestSupport.pollAllUntil;
import static io.sluice.kafka.TestSupport.pollFor;
import static io.sluice.kafka.TestSupport.produce;
import static io.sluice.kafka.TestSupport.simple;
import static io.sluice.kafka.TestSupport.snapshotAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.engine.row.Row;
import io.sluice.engine.source.SourceReader;
import io.sluice.kafka.internal.KafkaSourceReader;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Partitions added to the topic while readers run are read without a reopen, from their earliest
 * offset, by the reader {@code p mod parallelism}; they are in the next snapshot, and a restore at
 * another parallelism resumes them exactly. A partition added while no reader runs is absent from
 * the restored state and read from its earliest offset.
 */
@ExtendWith(LocalKafkaExtension.class)
class PartitionDiscoveryTest {
  private static final String TOPIC = "growing";

  @Test
  void newPartitionsAreReadWhileRunningAndRestoredFromTheCheckpoint(LocalKafkaBroker broker)
      throws Exception {
    broker.createTopic(TOPIC, 2);
    String bootstrap = broker.bootstrapServers();
    List<String> expected = new ArrayList<>();
    produceTo(bootstrap, List.of(0, 1), 0, 50, expected);
    KafkaSource source = KafkaSource.builder().bootstrapServers(bootstrap).topic(TOPIC)
        .schema(SIMPLE).partitionDiscoveryInterval(Duration.ofMillis(200)).build();
    List<SourceReader<Row>> readers = openAll(source, 2, List.of());
    List<String> seen = ids(pollAllUntil(readers, 100));

    grow(bootstrap, 5);
    produceTo(bootstrap, List.of(0, 1, 2, 3, 4), 50, 20, expected);
    seen.addAll(ids(pollAllUntil(readers, 100)));
    assertEquals(List.of(0, 2, 4), owned(readers.get(0)));
    assertEquals(List.of(1, 3), owned(readers.get(1)));
    assertEquals(Map.of(0, 70L, 2, 20L, 4, 20L), offsets(readers.get(0)));
    assertEquals(Map.of(1, 70L, 3, 20L), offsets(readers.get(1)));
    assertEquals(new HashSet<>(expected), Set.copyOf(seen));
    assertEquals(expected.size(), seen.size(), "each record once");
    assertEquals(0, pollFor(readers, Duration.ofMillis(600)).size(), "nothing more");
    assertEquals(Map.of(0, 0L, 1, 0L, 2, 0L, 3, 0L, 4, 0L), source.metrics().partitionLag());
    assertEquals(OptionalLong.of(0), source.metrics().totalLag());

    List<byte[]> states = snapshotAll(readers, 1);
    closeAll(readers);
    grow(bootstrap, 6); // while no reader runs: absent from the checkpoint
    produceTo(bootstrap, List.of(0, 1, 2, 3, 4, 5), 70, 10, expected);

    List<SourceReader<Row>> restored = openAll(source, 3, states);
    seen.addAll(ids(pollAllUntil(restored, 60)));
    seen.addAll(ids(pollFor(restored, Duration.ofMillis(300))));
    assertEquals(List.of(0, 3), owned(restored.get(0)));
    assertEquals(List.of(1, 4), owned(restored.get(1)));
    assertEquals(List.of(2, 5), owned(restored.get(2)));
    assertEquals(Map.of(2, 30L, 5, 10L), offsets(restored.get(2)));
    closeAll(restored);
    assertEquals(new HashSet<>(expected), Set.copyOf(seen));
    assertEquals(expected.size(), seen.size(), "each record once");
  }

  /** Writes {@code count} records to each partition, ids {@code p<partition>-<index>}. */
  private static void produceTo(String bootstrap, List<Integer> partitions, int from, int count,
      List<String> expected) throws Exception {
    for (int partition : partitions) {
      List<String> values = new ArrayList<>();
      for (int i = from; i < from + count; i++) {
        String id = "p" + partition + "-" + i;
        values.add(simple(id, i));
        expected.add(id);
      }
      produce(bootstrap, TOPIC, partition, values, null);
    }
  }

  private static void grow(String bootstrap, int partitions) throws Exception {
    try (Admin admin = TestSupport.admin(bootstrap)) {
      admin.createPartitions(Map.of(TOPIC, NewPartitions.increaseTo(partitions))).all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static List<String> ids(List<Row> rows) {
    List<String> ids = new ArrayList<>();
    rows.forEach(row -> ids.add((String) row.get(0)));
    return ids;
  }

  private static List<Integer> owned(SourceReader<Row> reader) {
    return ((KafkaSourceReader) reader).ownedPartitions();
  }

  private static Map<Integer, Long> offsets(SourceReader<Row> reader) {
    return ((KafkaSourceReader) reader).nextOffsets();
  }
}
