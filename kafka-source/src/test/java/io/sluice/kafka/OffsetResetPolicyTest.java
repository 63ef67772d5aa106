package io.sluice.kafka;

import static io.sluice.kafka.TestSupport.SIMPLE;
import static io.sluice.kafka.TestSupport.open;
import static io.sluice.kafka.TestSupport.pollFor;
import static io.sluice.kafka.TestSupport.pollToEnd;
import static io.sluice.kafka.TestSupport.pollUntil;
import static io.sluice.kafka.TestSupport.produce;
import static io.sluice.kafka.TestSupport.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.row.Row;
import io.sluice.engine.source.InputStatus;
import io.sluice.engine.source.SourceReader;
import io.sluice.kafka.internal.KafkaSourceReader;
import io.sluice.kafka.internal.OffsetsState;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The opt-in {@link OffsetResetPolicy} for offsets deleted from the log (real broker). */
@ExtendWith(LocalKafkaExtension.class)
class OffsetResetPolicyTest {

  private static KafkaSource.Builder source(LocalKafkaBroker broker, String topic,
      OffsetResetPolicy policy) {
    return KafkaSource.builder().bootstrapServers(broker.bootstrapServers()).topic(topic)
        .schema(SIMPLE).property("max.poll.records", "10").offsetResetPolicy(policy);
  }

  private static List<String> values(String prefix, int from, int to) {
    List<String> values = new ArrayList<>();
    for (int i = from; i < to; i++) {
      values.add(simple(prefix + i, i));
    }
    return values;
  }

  private static List<String> ids(String prefix, int from, int to) {
    List<String> ids = new ArrayList<>();
    for (int i = from; i < to; i++) {
      ids.add(prefix + i);
    }
    return ids;
  }

  private static List<String> ids(List<Row> rows) {
    return rows.stream().map(r -> (String) r.get(0)).collect(Collectors.toList());
  }

  private static void deleteBefore(LocalKafkaBroker broker, String topic, Map<Integer, Long> before)
      throws Exception {
    Map<TopicPartition, RecordsToDelete> request = new HashMap<>();
    before.forEach((p, offset) -> request.put(new TopicPartition(topic, p),
        RecordsToDelete.beforeOffset(offset)));
    try (Admin admin = TestSupport.admin(broker.bootstrapServers())) {
      admin.deleteRecords(request).all().get(30, TimeUnit.SECONDS);
    }
  }

  private static Map<Integer, Long> nextOffsets(SourceReader<Row> reader) {
    return ((KafkaSourceReader) reader).nextOffsets();
  }

  private static long skipped(SourceReader<Row> reader) {
    return ((KafkaSourceReader) reader).offsetsSkippedByReset();
  }

  private static void assertContains(String text, String expected) {
    assertTrue(text.contains(expected), "expected '" + expected + "' in:\n" + text);
  }

  @Test
  void earliestAtOpenContinuesFromTheNewLogStartWithExactlyTheSurvivingRecords(
      LocalKafkaBroker broker) throws Exception {
    String topic = "reset-earliest-open";
    broker.createTopic(topic, 1);
    produce(broker.bootstrapServers(), topic, 0, values("r", 0, 100), null);
    KafkaSource source = source(broker, topic, OffsetResetPolicy.EARLIEST).build();
    SourceReader<Row> first = open(source, 0, 1, List.of());
    pollUntil(first, new ArrayList<>(), 10);
    byte[] state = first.snapshotState(1);
    first.close();
    assertEquals(Map.of(0, 10L), OffsetsState.decode(state).nextOffsets());
    deleteBefore(broker, topic, Map.of(0, 50L));

    SourceReader<Row> restored;
    try (LogCapture log = new LogCapture()) {
      restored = open(source, 0, 1, List.of(state));
      assertContains(log.text(), "WARN");
      assertContains(log.text(), "offset 10 of topic '" + topic + "' partition 0 no longer "
          + "exists");
      assertContains(log.text(), "continuing from offset 50, skipping 40 offsets");
    }
    assertEquals(Map.of(0, 50L), nextOffsets(restored), "checkpointed offset follows the reset");
    assertEquals(Map.of(0, 50L), OffsetsState.decode(restored.snapshotState(2)).nextOffsets());
    List<Row> rows = new ArrayList<>();
    pollUntil(restored, rows, 50);
    rows.addAll(pollFor(List.of(restored), Duration.ofMillis(300)));
    assertEquals(ids("r", 50, 100), ids(rows), "exactly the surviving records, in order");
    assertEquals(Map.of(0, 100L), nextOffsets(restored));
    assertEquals(40, skipped(restored));
    assertEquals(40, source.metrics().offsetsSkippedByReset());
    restored.close();

    // An explicit start offset below the log start is reset the same way.
    KafkaSource explicit = source(broker, topic, OffsetResetPolicy.EARLIEST)
        .startPosition(StartPosition.offsets(Map.of(0, 5L))).build();
    SourceReader<Row> fresh = open(explicit, 0, 1, List.of());
    assertEquals(Map.of(0, 50L), nextOffsets(fresh));
    assertEquals(45, explicit.metrics().offsetsSkippedByReset());
    List<Row> again = new ArrayList<>();
    pollUntil(fresh, again, 50);
    assertEquals("r50", again.get(0).get(0));
    fresh.close();
    assertEquals(40, source.metrics().offsetsSkippedByReset(), "metrics are per source");
  }

  @Test
  void earliestWhileRunningContinuesWhenRecordsAreDeletedUnderTheReader(LocalKafkaBroker broker)
      throws Exception {
    String topic = "reset-earliest-running";
    broker.createTopic(topic, 2);
    produce(broker.bootstrapServers(), topic, 0, values("a", 0, 20), null);
    produce(broker.bootstrapServers(), topic, 1, values("b", 0, 20), null);
    KafkaSource source = source(broker, topic, OffsetResetPolicy.EARLIEST)
        .property("fetch.max.wait.ms", "100").build();
    SourceReader<Row> reader = open(source, 0, 1, List.of());
    List<Row> caughtUp = new ArrayList<>();
    pollUntil(reader, caughtUp, 40);
    assertEquals(Map.of(0, 20L, 1, 20L), nextOffsets(reader));
    Thread.sleep(500); // let the fetch sent after the last records come back empty

    // New records arrive and part of them is deleted before the reader fetches them.
    produce(broker.bootstrapServers(), topic, 0, values("a", 20, 100), null);
    produce(broker.bootstrapServers(), topic, 1, values("b", 20, 100), null);
    deleteBefore(broker, topic, Map.of(0, 60L, 1, 70L));

    List<Row> rows = new ArrayList<>();
    try (LogCapture log = new LogCapture()) {
      pollUntil(reader, rows, 70);
      rows.addAll(pollFor(List.of(reader), Duration.ofMillis(300)));
      assertContains(log.text(), "offset 20 of topic '" + topic + "' partition 0 no longer "
          + "exists");
      assertContains(log.text(), "continuing from offset 60, skipping 40 offsets");
      assertContains(log.text(), "offset 20 of topic '" + topic + "' partition 1 no longer "
          + "exists");
      assertContains(log.text(), "continuing from offset 70, skipping 50 offsets");
    }
    List<String> a = ids(rows).stream().filter(id -> id.startsWith("a")).toList();
    List<String> b = ids(rows).stream().filter(id -> id.startsWith("b")).toList();
    assertEquals(ids("a", 60, 100), a);
    assertEquals(ids("b", 70, 100), b);
    assertEquals(70, rows.size());
    assertEquals(Map.of(0, 100L, 1, 100L), nextOffsets(reader));
    assertEquals(Map.of(0, 100L, 1, 100L),
        OffsetsState.decode(reader.snapshotState(1)).nextOffsets());
    assertEquals(90, skipped(reader));
    assertEquals(90, source.metrics().offsetsSkippedByReset());
    assertEquals(110, source.metrics().recordsRead());
    reader.close();
  }

  @Test
  void latestJumpsToTheEndAtOpenAndWhileRunning(LocalKafkaBroker broker) throws Exception {
    String topic = "reset-latest";
    broker.createTopic(topic, 1);
    produce(broker.bootstrapServers(), topic, 0, values("r", 0, 100), null);
    KafkaSource source = source(broker, topic, OffsetResetPolicy.LATEST).build();
    SourceReader<Row> first = open(source, 0, 1, List.of());
    pollUntil(first, new ArrayList<>(), 10);
    byte[] state = first.snapshotState(1);
    first.close();
    SourceReader<Row> running = open(source, 0, 1, List.of()); // at offset 0, not polled yet
    deleteBefore(broker, topic, Map.of(0, 50L));

    SourceReader<Row> restored;
    try (LogCapture log = new LogCapture()) {
      restored = open(source, 0, 1, List.of(state));
      assertContains(log.text(), "offset 10 of topic '" + topic + "' partition 0 no longer "
          + "exists");
      assertContains(log.text(), "policy LATEST: continuing from offset 100, skipping 90 "
          + "offsets");
    }
    assertEquals(Map.of(0, 100L), nextOffsets(restored));
    assertEquals(90, skipped(restored));

    try (LogCapture log = new LogCapture()) {
      assertEquals(List.of(), pollFor(List.of(running), Duration.ofMillis(500)));
      assertContains(log.text(), "offset 0 of topic '" + topic + "' partition 0 no longer "
          + "exists");
      assertContains(log.text(), "continuing from offset 100, skipping 100 offsets");
    }
    assertEquals(Map.of(0, 100L), nextOffsets(running));
    assertEquals(100, skipped(running));
    assertEquals(190, source.metrics().offsetsSkippedByReset());

    produce(broker.bootstrapServers(), topic, 0, values("n", 0, 3), null);
    for (SourceReader<Row> reader : List.of(restored, running)) {
      List<Row> rows = new ArrayList<>();
      pollUntil(reader, rows, 3);
      rows.addAll(pollFor(List.of(reader), Duration.ofMillis(200)));
      assertEquals(ids("n", 0, 3), ids(rows), "only records written after the jump");
      assertEquals(Map.of(0, 103L), nextOffsets(reader));
      reader.close();
    }
  }

  @Test
  void boundedReadersEndWhereTheResetReachesTheirEndOffsets(LocalKafkaBroker broker)
      throws Exception {
    String topic = "reset-bounded";
    broker.createTopic(topic, 1);
    produce(broker.bootstrapServers(), topic, 0, values("r", 0, 100), null);
    KafkaSource earliest = source(broker, topic, OffsetResetPolicy.EARLIEST).bounded(true)
        .build();
    KafkaSource latest = source(broker, topic, OffsetResetPolicy.LATEST).bounded(true).build();
    SourceReader<Row> earliestReader = open(earliest, 0, 1, List.of()); // 0, bounded by 100
    SourceReader<Row> latestReader = open(latest, 0, 1, List.of());
    byte[] atTen = new OffsetsState(topic, 0, 0, false, Map.of(0, 10L)).encode();
    deleteBefore(broker, topic, Map.of(0, 50L));

    assertEquals(ids("r", 50, 100), ids(pollToEnd(earliestReader)));
    assertEquals(Map.of(0, 100L), nextOffsets(earliestReader));
    assertEquals(50, skipped(earliestReader));
    earliestReader.close();

    assertEquals(List.of(), pollToEnd(latestReader));
    assertEquals(Map.of(0, 100L), nextOffsets(latestReader));
    assertEquals(100, skipped(latestReader));
    latestReader.close();

    SourceReader<Row> restored = open(latest, 0, 1, List.of(atTen));
    assertEquals(InputStatus.END_OF_INPUT, restored.pollNext(r -> {}));
    assertEquals(Map.of(0, 100L), nextOffsets(restored));
    assertEquals(190, latest.metrics().offsetsSkippedByReset());
    restored.close();

    // The log start moved past the bounded end offset: the reader ends at that end offset.
    SourceReader<Row> clamped = open(earliest, 0, 1, List.of()); // 50, bounded by 100
    produce(broker.bootstrapServers(), topic, 0, values("s", 0, 50), null); // offsets 100..149
    deleteBefore(broker, topic, Map.of(0, 120L));
    assertEquals(List.of(), pollToEnd(clamped));
    assertEquals(Map.of(0, 100L), nextOffsets(clamped));
    assertEquals(50, skipped(clamped));
    clamped.close();
  }

  @Test
  void failIsTheDefaultAndStillThrowsNamingTopicPartitionAndOffset(LocalKafkaBroker broker)
      throws Exception {
    String topic = "reset-fail";
    broker.createTopic(topic, 1);
    produce(broker.bootstrapServers(), topic, 0, values("r", 0, 100), null);
    assertEquals(OffsetResetPolicy.FAIL, KafkaSource.builder()
        .bootstrapServers(broker.bootstrapServers()).topic(topic).schema(SIMPLE).build()
        .offsetResetPolicy());
    assertThrows(NullPointerException.class, () -> KafkaSource.builder().offsetResetPolicy(null));
    KafkaSource source = source(broker, topic, OffsetResetPolicy.FAIL).build();
    SourceReader<Row> first = open(source, 0, 1, List.of());
    pollUntil(first, new ArrayList<>(), 10);
    byte[] state = first.snapshotState(1);
    first.close();
    SourceReader<Row> running = open(source, 0, 1, List.of());
    deleteBefore(broker, topic, Map.of(0, 50L));

    KafkaOffsetOutOfRangeException onRestore = assertThrows(
        KafkaOffsetOutOfRangeException.class, () -> open(source, 0, 1, List.of(state)));
    assertTrue(onRestore.getMessage().startsWith(
        "Offset 10 of topic 'reset-fail' partition 0 is out of range"), onRestore.getMessage());
    assertContains(onRestore.getMessage(), "the log starts at 50");
    assertContains(onRestore.getMessage(), "set the source's offset reset policy to "
        + "earliest/latest");
    assertEquals(topic, onRestore.topic());
    assertEquals(0, onRestore.partition());
    assertEquals(10, onRestore.offset());

    KafkaOffsetOutOfRangeException whileRunning = assertThrows(
        KafkaOffsetOutOfRangeException.class, () -> pollUntil(running, new ArrayList<>(), 1));
    assertEquals(0, whileRunning.offset());
    assertContains(whileRunning.getMessage(), "the log now starts at 50");
    assertEquals(0, skipped(running));
    assertEquals(0, source.metrics().offsetsSkippedByReset());
    running.close();
  }

  /** Copies what is written to System.err (where slf4j-simple logs) while open. */
  private static final class LogCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    LogCapture() {
      OutputStream tee = new OutputStream() {
        @Override
        public void write(int b) {
          original.write(b);
          synchronized (copy) {
            copy.write(b);
          }
        }

        @Override
        public void write(byte[] b, int off, int len) {
          original.write(b, off, len);
          synchronized (copy) {
            copy.write(b, off, len);
          }
        }
      };
      System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    String text() {
      synchronized (copy) {
        return copy.toString(StandardCharsets.UTF_8);
      }
    }

    @Override
    public void close() {
      System.err.flush();
      System.setErr(original);
    }
  }
}
