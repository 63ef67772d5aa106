package io.sluice.kafka;

import static io.sluice.kafka.TestSupport.EVENTS;
import static io.sluice.kafka.TestSupport.SIMPLE;
import static io.sluice.kafka.TestSupport.closeAll;
import static io.sluice.kafka.TestSupport.open;
import static io.sluice.kafka.TestSupport.openAll;
import static io.sluice.kafka.TestSupport.pollAllUntil;
import static io.sluice.kafka.TestSupport.pollFor;
import static io.sluice.kafka.TestSupport.pollToEnd;
import static io.sluice.kafka.TestSupport.pollUntil;
import static io.sluice.kafka.TestSupport.produce;
import static io.sluice.kafka.TestSupport.simple;
import static io.sluice.kafka.TestSupport.snapshotAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.engine.UnrecoverableException;
import io.sluice.engine.row.Row;
import io.sluice.engine.source.InputStatus;
import io.sluice.engine.source.SourceReader;
import io.sluice.kafka.internal.KafkaSourceReader;
import io.sluice.kafka.internal.OffsetsState;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalKafkaExtension.class)
class KafkaSourceReaderTest {

  private static KafkaSource.Builder events(LocalKafkaBroker broker, String topic) {
    return KafkaSource.builder().bootstrapServers(broker.bootstrapServers()).topic(topic)
        .schema(EVENTS);
  }

  private static KafkaSource.Builder simpleSource(LocalKafkaBroker broker, String topic) {
    return KafkaSource.builder().bootstrapServers(broker.bootstrapServers()).topic(topic)
        .schema(SIMPLE);
  }

  private static Set<String> expectedIds(long seed, long from, long count) {
    Set<String> ids = new HashSet<>();
    for (long i = from; i < from + count; i++) {
      ids.add(SyntheticEvents.eventId(seed, i));
    }
    return ids;
  }

  private static List<String> ids(List<Row> rows) {
    return rows.stream().map(r -> (String) r.get(0)).collect(Collectors.toList());
  }

  private static long indexOf(String eventId) {
    return Long.parseLong(eventId.substring(eventId.length() - 12), 16);
  }

  @Test
  void twoSubtasksReadAllRecordsOfFourPartitions(LocalKafkaBroker broker) throws Exception {
    broker.createTopic("four", 4);
    SyntheticEvents.produce(broker.bootstrapServers(), "four", 1, 0, 2_000);
    KafkaSource source = events(broker, "four").build();
    List<SourceReader<Row>> readers = openAll(source, 2, List.of());
    assertEquals(List.of(0, 2), ((KafkaSourceReader) readers.get(0)).ownedPartitions());
    assertEquals(List.of(1, 3), ((KafkaSourceReader) readers.get(1)).ownedPartitions());

    List<Row> first = new ArrayList<>();
    List<Row> second = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (first.size() + second.size() < 2_000 && System.nanoTime() < deadline) {
      readers.get(0).pollNext(first::add);
      readers.get(1).pollNext(second::add);
    }
    assertEquals(0, pollFor(readers, Duration.ofMillis(300)).size(), "nothing more");
    assertEquals(1_000, first.size());
    assertEquals(1_000, second.size());
    for (Row row : first) {
      assertEquals(0, SyntheticEvents.partitionOf(indexOf((String) row.get(0)), 4) % 2);
    }
    for (Row row : second) {
      assertEquals(1, SyntheticEvents.partitionOf(indexOf((String) row.get(0)), 4) % 2);
    }
    List<String> all = ids(first);
    all.addAll(ids(second));
    assertEquals(expectedIds(1, 0, 2_000), new HashSet<>(all));

    Row row = first.get(0);
    long index = indexOf((String) row.get(0));
    assertEquals(SyntheticEvents.userId(1, index), row.get(1));
    assertEquals(SyntheticEvents.eventType(1, index), row.get(2));
    long tsMicros = (Long) row.get(3);
    assertTrue(Math.abs(tsMicros / 1000 - System.currentTimeMillis()) < 600_000, "ts in µs");
    assertEquals(SyntheticEvents.amountCents(1, index) / 100.0, row.get(4));
    assertEquals(SyntheticEvents.country(1, index), row.get(5));

    assertEquals(2_000, source.metrics().recordsRead());
    assertEquals(1_000, ((KafkaSourceReader) readers.get(0)).recordsRead());
    Thread.sleep(600);
    readers.get(0).pollNext(r -> {});
    readers.get(1).pollNext(r -> {});
    assertEquals(Map.of(0, 0L, 1, 0L, 2, 0L, 3, 0L), source.metrics().partitionLag());
    assertEquals(Map.of(0, 500L, 2, 500L),
        ((KafkaSourceReader) readers.get(0)).nextOffsets());
    closeAll(readers);
  }

  @Test
  void snapshotAndRestoreResumeExactlyAcrossParallelismChanges(LocalKafkaBroker broker)
      throws Exception {
    broker.createTopic("resume", 4);
    SyntheticEvents.produce(broker.bootstrapServers(), "resume", 2, 0, 4_000);
    KafkaSource source = events(broker, "resume").property("max.poll.records", "50").build();

    List<String> seen = new ArrayList<>();
    // Run 1: parallelism 2, stop part-way.
    List<SourceReader<Row>> run1 = openAll(source, 2, List.of());
    seen.addAll(ids(pollAllUntil(run1, 1_000)));
    List<byte[]> states1 = snapshotAll(run1, 1);
    // Rows emitted after the snapshot are lost with the crash and must be read again.
    pollAllUntil(run1, 300);
    closeAll(run1);

    SyntheticEvents.produce(broker.bootstrapServers(), "resume", 2, 4_000, 1_000);

    // Run 2: restored at parallelism 3, stop part-way again.
    List<SourceReader<Row>> run2 = openAll(source, 3, states1);
    seen.addAll(ids(pollAllUntil(run2, 2_000)));
    List<byte[]> states2 = snapshotAll(run2, 2);
    closeAll(run2);

    // Run 3: restored at parallelism 1, reads the rest.
    List<SourceReader<Row>> run3 = openAll(source, 1, states2);
    int rest = 5_000 - seen.size();
    assertTrue(rest > 0);
    seen.addAll(ids(pollAllUntil(run3, rest)));
    seen.addAll(ids(pollFor(run3, Duration.ofMillis(300))));
    Map<Integer, Long> offsets = ((KafkaSourceReader) run3.get(0)).nextOffsets();
    closeAll(run3);

    assertEquals(5_000, seen.size(), "no duplicates, no loss");
    assertEquals(expectedIds(2, 0, 5_000), new HashSet<>(seen));
    assertEquals(Map.of(0, 1_250L, 1, 1_250L, 2, 1_250L, 3, 1_250L), offsets);
  }

  @Test
  void boundedModeStopsAtTheEndOffsetsSeenAtOpen(LocalKafkaBroker broker) throws Exception {
    broker.createTopic("bounded", 3);
    SyntheticEvents.produce(broker.bootstrapServers(), "bounded", 3, 0, 300);
    KafkaSource source = events(broker, "bounded").bounded(true).build();
    List<SourceReader<Row>> readers = openAll(source, 4, List.of());
    SyntheticEvents.produce(broker.bootstrapServers(), "bounded", 3, 300, 300); // after open

    List<String> ids = new ArrayList<>();
    for (SourceReader<Row> reader : readers) {
      ids.addAll(ids(pollToEnd(reader)));
      assertEquals(InputStatus.END_OF_INPUT, reader.pollNext(r -> {}), "stays at the end");
    }
    assertEquals(300, ids.size());
    assertEquals(expectedIds(3, 0, 300), new HashSet<>(ids));
    assertEquals(Map.of(0, 100L), ((KafkaSourceReader) readers.get(0)).nextOffsets());
    assertEquals(Map.of(), ((KafkaSourceReader) readers.get(3)).nextOffsets(), "owns nothing");
    List<byte[]> states = snapshotAll(readers, 1);
    closeAll(readers);

    // A bounded run restored from the end state reads what arrived since, up to its own end.
    List<SourceReader<Row>> next = openAll(source, 2, states);
    List<String> later = new ArrayList<>();
    for (SourceReader<Row> reader : next) {
      later.addAll(ids(pollToEnd(reader)));
    }
    closeAll(next);
    assertEquals(expectedIds(3, 300, 300), new HashSet<>(later));
    assertEquals(300, later.size());
  }

  @Test
  void stopOffsetsBoundEveryStartAlikeAndUnlistedPartitionsAreNotRead(LocalKafkaBroker broker)
      throws Exception {
    broker.createTopic("ranged", 3);
    List<Long> timestamps = List.of(1_000L, 2_000L, 3_000L, 4_000L, 5_000L);
    for (int p = 0; p < 3; p++) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        values.add(simple("p" + p + "-" + i, i));
      }
      produce(broker.bootstrapServers(), "ranged", p, values, timestamps);
    }
    KafkaSource probe = simpleSource(broker, "ranged").build();
    assertEquals(Map.of(0, 0L, 1, 0L, 2, 0L), probe.earliestOffsets());
    assertEquals(Map.of(0, 5L, 1, 5L, 2, 5L), probe.endOffsets());
    assertEquals(Map.of(0, 2L, 1, 2L, 2, 2L), probe.offsetsForTime(2_500));
    assertEquals(Map.of(0, 5L, 1, 5L, 2, 5L), probe.offsetsForTime(9_000), "none that recent");

    // Partitions 0 and 1 from offset 1 up to (not including) 3 and 4; partition 2 not listed.
    KafkaSource source = simpleSource(broker, "ranged")
        .startPosition(StartPosition.offsets(Map.of(0, 1L, 1, 1L, 2, 0L)))
        .stopOffsets(Map.of(0, 3L, 1, 4L))
        .build();
    assertTrue(source.bounded());
    List<SourceReader<Row>> readers = openAll(source, 2, List.of());
    List<String> read = new ArrayList<>();
    for (SourceReader<Row> reader : readers) {
      read.addAll(ids(pollToEnd(reader)));
    }
    assertEquals(Set.of("p0-1", "p0-2", "p1-1", "p1-2", "p1-3"), new HashSet<>(read));
    assertEquals(5, read.size());
    assertEquals(Map.of(0, 3L, 1, 4L, 2, 0L), source.metrics().partitionPositions(),
        "the final offsets are published at once");
    List<byte[]> finished = snapshotAll(readers, 1);
    closeAll(readers);

    // Restored at its stop offsets after more records arrived: ends at once, reading nothing.
    produce(broker.bootstrapServers(), "ranged", 0, List.of(simple("late", 9)), null);
    List<SourceReader<Row>> again = openAll(source, 3, finished);
    for (SourceReader<Row> reader : again) {
      assertEquals(InputStatus.END_OF_INPUT, reader.pollNext(row -> fail("read " + row)));
    }
    closeAll(again);
  }

  @Test
  void readCommittedHidesAbortedAndOpenTransactions(LocalKafkaBroker broker) throws Exception {
    broker.createTopic("txn", 2);
    Properties p = TestSupport.producerProperties(broker.bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sluice-test-txn");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      producer.initTransactions();
      sendInTransaction(producer, "a", true);
      sendInTransaction(producer, "b", false);
      sendInTransaction(producer, "c", true);

      // Bounded: the end offsets lie past the last commit markers.
      KafkaSource bounded = simpleSource(broker, "txn").bounded(true).build();
      SourceReader<Row> reader = open(bounded, 0, 1, List.of());
      List<Row> rows = pollToEnd(reader);
      assertEquals(20, rows.size());
      assertTrue(rows.stream().noneMatch(r -> ((String) r.get(0)).startsWith("b")), "aborted");
      // 3 transactions x (5 records + 1 marker) per partition: the position is past the markers.
      assertEquals(Map.of(0, 18L, 1, 18L), ((KafkaSourceReader) reader).nextOffsets());
      reader.close();

      // Unbounded: an open transaction's records appear only once it commits.
      KafkaSource unbounded = simpleSource(broker, "txn").build();
      SourceReader<Row> live = open(unbounded, 0, 1, List.of());
      List<Row> seen = new ArrayList<>();
      pollUntil(live, seen, 20);
      producer.beginTransaction();
      for (int i = 0; i < 4; i++) {
        producer.send(new ProducerRecord<>("txn", i % 2, null,
            simple("d" + i, i).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
      seen.addAll(pollFor(List.of(live), Duration.ofMillis(500)));
      assertEquals(20, seen.size(), "records of an open transaction are invisible");
      producer.commitTransaction();
      pollUntil(live, seen, 24);
      assertEquals(Set.of("d0", "d1", "d2", "d3"), seen.subList(20, 24).stream()
          .map(r -> (String) r.get(0)).collect(Collectors.toSet()));
      live.close();
    }
  }

  private static void sendInTransaction(KafkaProducer<byte[], byte[]> producer, String prefix,
      boolean commit) {
    producer.beginTransaction();
    for (int i = 0; i < 10; i++) {
      producer.send(new ProducerRecord<>("txn", i % 2, null,
          simple(prefix + i, i).getBytes(StandardCharsets.UTF_8)));
    }
    producer.flush();
    if (commit) {
      producer.commitTransaction();
    } else {
      producer.abortTransaction();
    }
  }

  @Test
  void startPositionsTimestampAndLatest(LocalKafkaBroker broker) throws Exception {
    broker.createTopic("positions", 1);
    List<String> values = new ArrayList<>();
    List<Long> timestamps = new ArrayList<>();
    // Recent timestamps: records stamped in 1970 roll their segment and fall to the broker's
    // time retention at its next check, which made this test fail now and then.
    long base = System.currentTimeMillis() - Duration.ofDays(1).toMillis();
    for (int i = 1; i <= 10; i++) {
      values.add(simple("t" + i, i));
      timestamps.add(base + 1_000_000L * i);
    }
    produce(broker.bootstrapServers(), "positions", 0, values, timestamps);

    SourceReader<Row> fromTime = open(simpleSource(broker, "positions")
        .startPosition(StartPosition.timestamp(base + 5_500_000L)).bounded(true).build(), 0, 1,
        List.of());
    assertEquals(List.of("t6", "t7", "t8", "t9", "t10"), ids(pollToEnd(fromTime)));
    fromTime.close();

    SourceReader<Row> afterAll = open(simpleSource(broker, "positions")
        .startPosition(StartPosition.timestamp(base + 99_000_000L)).build(), 0, 1, List.of());
    SourceReader<Row> latest = open(simpleSource(broker, "positions")
        .startPosition(StartPosition.latest()).build(), 0, 1, List.of());
    SourceReader<Row> fromOffset = open(simpleSource(broker, "positions")
        .startPosition(StartPosition.offsets(Map.of(0, 8L))).build(), 0, 1, List.of());
    assertEquals(Map.of(0, 10L), ((KafkaSourceReader) latest).nextOffsets(),
        "latest is resolved at open");
    produce(broker.bootstrapServers(), "positions", 0, List.of(simple("n1", 1), simple("n2", 2)),
        null);
    List<Row> rows = new ArrayList<>();
    pollUntil(latest, rows, 2);
    rows.addAll(pollFor(List.of(latest), Duration.ofMillis(200)));
    assertEquals(List.of("n1", "n2"), ids(rows));
    rows.clear();
    pollUntil(afterAll, rows, 2);
    assertEquals(List.of("n1", "n2"), ids(rows));
    rows.clear();
    pollUntil(fromOffset, rows, 4);
    assertEquals(List.of("t9", "t10", "n1", "n2"), ids(rows));
    closeAll(List.of(afterAll, latest, fromOffset));
  }

  @Test
  void malformedRecordFailsNamingTopicPartitionAndOffset(LocalKafkaBroker broker)
      throws Exception {
    broker.createTopic("malformed", 2);
    produce(broker.bootstrapServers(), "malformed", 1, List.of(simple("ok0", 0),
        simple("ok1", 1), simple("ok2", 2), "{\"id\":\"bad\",\"n\":\"not a number\"}"), null);
    SourceReader<Row> reader = open(simpleSource(broker, "malformed").build(), 0, 1, List.of());
    List<Row> rows = new ArrayList<>();
    MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        reader.pollNext(rows::add);
      }
    });
    assertTrue(e.getMessage().contains("topic 'malformed' partition 1 offset 3, field 'n'"),
        e.getMessage());
    assertEquals(3, e.offset());
    assertEquals(1, e.partition());
    reader.close();

    produce(broker.bootstrapServers(), "malformed", 0, List.of("{\"n\":5}"), null);
    SourceReader<Row> second = open(simpleSource(broker, "malformed").build(), 0, 2, List.of());
    MalformedRecordException missing = assertThrows(MalformedRecordException.class,
        () -> pollUntil(second, new ArrayList<>(), 1));
    assertTrue(missing.getMessage().contains("partition 0 offset 0, field 'id'"),
        missing.getMessage());
    second.close();
  }

  /**
   * Dead letters go to the side output between the rows, and the snapshot after them covers them:
   * a reader restored from it reads only what came later. Skipping counts the same records.
   */
  @Test
  void malformedRecordsAreDeadLetteredOrSkippedAndTheSnapshotCoversThem(LocalKafkaBroker broker)
      throws Exception {
    broker.createTopic("dead-letters", 1);
    String bootstrap = broker.bootstrapServers();
    produce(bootstrap, "dead-letters", 0, List.of(simple("a", 1), "{\"id\":\"b\",\"n\":\"x\"}",
        simple("c", 3), "[]"), null);
    KafkaSource source = simpleSource(broker, "dead-letters")
        .malformedRecordPolicy(MalformedRecordPolicy.DEAD_LETTER).build();
    SourceReader<Row> reader = open(source, 0, 1, List.of());
    RowsAndDeadLetters out = new RowsAndDeadLetters();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (out.rows.size() + out.deadLetters.size() < 4 && System.nanoTime() < deadline) {
      reader.pollNext(out);
    }
    assertEquals(List.of("a", "c"), ids(out.rows));
    assertEquals(List.of(1L, 3L), out.deadLetters.stream().map(r -> (Long) r.get(4)).toList());
    assertEquals("n", out.deadLetters.get(0).get(7));
    assertEquals("test", out.deadLetters.get(0).get(8), "the pipeline id");
    assertEquals(Map.of(0, 4L), OffsetsState.decode(reader.snapshotState(1)).nextOffsets());
    assertEquals(4, source.metrics().recordsRead());
    assertEquals(2, source.metrics().recordsDeadLettered());
    byte[] state = reader.snapshotState(1);
    reader.close();

    produce(bootstrap, "dead-letters", 0, List.of("{\"id\":", simple("d", 4)), null);
    SourceReader<Row> restored = open(source, 0, 1, List.of(state));
    RowsAndDeadLetters later = new RowsAndDeadLetters();
    while (later.rows.isEmpty() && System.nanoTime() < deadline) {
      restored.pollNext(later);
    }
    assertEquals(List.of("d"), ids(later.rows));
    assertEquals(List.of(4L), later.deadLetters.stream().map(r -> (Long) r.get(4)).toList());
    assertEquals(3, source.metrics().recordsDeadLettered());
    restored.close();

    KafkaSource skipping = simpleSource(broker, "dead-letters")
        .malformedRecordPolicy(MalformedRecordPolicy.SKIP).build();
    SourceReader<Row> skipper = open(skipping, 0, 1, List.of());
    List<Row> rows = new ArrayList<>();
    pollUntil(skipper, rows, 3);
    assertEquals(List.of("a", "c", "d"), ids(rows));
    assertEquals(3, skipping.metrics().recordsSkipped());
    assertEquals(0, skipping.metrics().recordsDeadLettered());
    assertEquals(6, skipping.metrics().recordsRead());
    skipper.close();
  }

  @Test
  void deletedOffsetsFailClearlyInsteadOfSkipping(LocalKafkaBroker broker) throws Exception {
    broker.createTopic("retention", 1);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      values.add(simple("r" + i, i));
    }
    produce(broker.bootstrapServers(), "retention", 0, values, null);
    KafkaSource source = simpleSource(broker, "retention").property("max.poll.records", "10")
        .build();
    SourceReader<Row> first = open(source, 0, 1, List.of());
    pollUntil(first, new ArrayList<>(), 10);
    byte[] state = first.snapshotState(1);
    first.close();
    assertEquals(Map.of(0, 10L), OffsetsState.decode(state).nextOffsets());
    SourceReader<Row> running = open(source, 0, 1, List.of()); // at offset 0, not polled yet

    try (Admin admin = TestSupport.admin(broker.bootstrapServers())) {
      admin.deleteRecords(Map.of(new TopicPartition("retention", 0),
          RecordsToDelete.beforeOffset(50))).all().get(30, TimeUnit.SECONDS);
    }

    KafkaOffsetOutOfRangeException onRestore = assertThrows(
        KafkaOffsetOutOfRangeException.class, () -> open(source, 0, 1, List.of(state)));
    assertTrue(onRestore.getMessage().startsWith(
        "Offset 10 of topic 'retention' partition 0 is out of range"), onRestore.getMessage());
    assertTrue(onRestore.getMessage().contains("the log starts at 50"), onRestore.getMessage());

    KafkaOffsetOutOfRangeException whileRunning = assertThrows(
        KafkaOffsetOutOfRangeException.class, () -> pollUntil(running, new ArrayList<>(), 1));
    assertTrue(whileRunning.getMessage().startsWith(
        "Offset 0 of topic 'retention' partition 0 is out of range"), whileRunning.getMessage());
    assertEquals(0, whileRunning.offset());
    running.close();
  }

  @Test
  void restoringAgainstARecreatedTopicFails(LocalKafkaBroker broker) throws Exception {
    broker.createTopic("recreated", 1);
    produce(broker.bootstrapServers(), "recreated", 0, List.of(simple("x", 1)), null);
    KafkaSource source = simpleSource(broker, "recreated").build();
    SourceReader<Row> reader = open(source, 0, 1, List.of());
    pollUntil(reader, new ArrayList<>(), 1);
    byte[] state = reader.snapshotState(1);
    reader.close();

    broker.deleteTopic("recreated");
    broker.createTopic("recreated", 1);
    produce(broker.bootstrapServers(), "recreated", 0, List.of(simple("y", 1), simple("z", 2)),
        null);
    KafkaSourceException e = assertThrows(KafkaSourceException.class,
        () -> open(source, 0, 1, List.of(state)));
    assertTrue(e.getMessage().contains("topic 'recreated' was deleted and recreated"),
        e.getMessage());

    assertTrue(UnrecoverableException.isCauseOf(e), "a restart would fail the same way");

    KafkaTopicCheckException other = assertThrows(KafkaTopicCheckException.class,
        () -> open(simpleSource(broker, "positions-other").build(), 0, 1, List.of(state)));
    assertTrue(other.getMessage().startsWith("topic 'positions-other' does not exist at "),
        other.getMessage());
    assertEquals(KafkaSourceOptions.TOPIC, other.option());
  }

  @Test
  void completedCheckpointsCommitOffsetsToTheGroupWhichIsNeverReadBack(LocalKafkaBroker broker)
      throws Exception {
    broker.createTopic("lag", 2);
    SyntheticEvents.produce(broker.bootstrapServers(), "lag", 4, 0, 100);
    KafkaSource source = events(broker, "lag").groupId("sluice-lag-monitor").build();
    SourceReader<Row> reader = open(source, 0, 1, List.of());
    pollUntil(reader, new ArrayList<>(), 100);
    reader.snapshotState(7);
    reader.notifyCheckpointComplete(7);
    Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
    try (Admin admin = TestSupport.admin(broker.bootstrapServers())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (committed.size() < 2 && System.nanoTime() < deadline) {
        reader.pollNext(r -> {}); // drives the asynchronous commit
        committed = admin.listConsumerGroupOffsets("sluice-lag-monitor")
            .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      }
    }
    Map<Integer, Long> offsets = new HashMap<>();
    committed.forEach((tp, om) -> offsets.put(tp.partition(), om.offset()));
    assertEquals(Map.of(0, 50L, 1, 50L), offsets);
    reader.close();

    // A fresh start with the same group still begins at the start position.
    SourceReader<Row> fresh = open(source, 0, 1, List.of());
    List<Row> rows = new ArrayList<>();
    pollUntil(fresh, rows, 100);
    fresh.close();
  }

  @Test
  void aSubtaskWithoutPartitionsIdlesAndItsStateRestores(LocalKafkaBroker broker)
      throws Exception {
    broker.createTopic("narrow", 1);
    produce(broker.bootstrapServers(), "narrow", 0, List.of(simple("only", 1)), null);
    KafkaSource source = simpleSource(broker, "narrow").build();
    List<SourceReader<Row>> readers = openAll(source, 2, List.of());
    assertEquals(InputStatus.NOTHING_AVAILABLE, readers.get(1).pollNext(r -> {}));
    List<Row> rows = pollAllUntil(readers, 1);
    assertEquals(List.of("only"), ids(rows));
    List<byte[]> states = snapshotAll(readers, 1);
    closeAll(readers);
    List<SourceReader<Row>> restored = openAll(source, 1, states);
    assertEquals(Map.of(0, 1L), ((KafkaSourceReader) restored.get(0)).nextOffsets());
    closeAll(restored);
  }

  @Test
  void reservedConsumerPropertiesAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KafkaSource.builder().property("isolation.level", "read_uncommitted"));
    assertTrue(e.getMessage().contains("isolation.level"));
    assertThrows(IllegalArgumentException.class,
        () -> KafkaSource.builder().property("auto.offset.reset", "earliest"));
    assertThrows(IllegalArgumentException.class,
        () -> KafkaSource.builder().topic("t").schema(SIMPLE).build());
  }
}
