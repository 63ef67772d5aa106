package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.testing.DeltaTableReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dedupe pipeline rescaled twice, its state moving between backends: stopped with a savepoint
 * at parallelism 2 on the heap (SIGTERM), resumed from it at 3 on RocksDB, stopped, and restarted
 * from its retained checkpoint at 1. After each switch, duplicates of events kept before it arrive
 * and must still be dropped; the table ends as an uninterrupted run's would: every event once.
 */
@ExtendWith(LocalKafkaExtension.class)
class RescaleWithSavepointTest {
  private static final int PHASE = 60_000;
  private static final int DUPLICATE_STRIDE = 4;
  private static final long SEED = 1129L;
  /** A JVM ended by SIGTERM exits with 128 + 15 once its shutdown hooks ran. */
  /** A stop on SIGTERM that committed its final checkpoint is a success. */
  private static final int SIGTERM_EXIT = 0;

  @Test
  void rescalingAndSwitchingBackendsKeepsTheDedupeState(LocalKafkaBroker broker, @TempDir Path dir)
      throws Exception {
    String topic = "rescale";
    String bootstrap = broker.bootstrapServers();
    broker.createTopic(topic, 6);
    DeltaTableReader reader = new DeltaTableReader(dir.resolve("table").toString());
    Path savepoint = dir.resolve("savepoint");

    // Phase 1: parallelism 2, heap; stopped with a savepoint once everything is in the table.
    produce(bootstrap, topic, 0);
    PipelineProcess first = PipelineProcess.start(dir.resolve("run-1.log"), "run",
        config(dir, "p2-heap.yaml", bootstrap, topic, 2, "heap", false).toString(),
        "--savepoint-on-stop", savepoint.toString());
    awaitRows(reader, PHASE, first);
    assertEquals(SIGTERM_EXIT, first.terminate(120), () -> "stop with a savepoint:\n" + KillLoop.tail(first));
    assertTrue(Files.isRegularFile(savepoint.resolve("_metadata")), "savepoint written");
    assertTrue(first.logTail().contains("savepoint written to " + savepoint), first.logTail());

    // Phase 2: from the savepoint at parallelism 3, RocksDB; duplicates of phase 1 arrive.
    produce(bootstrap, topic, PHASE);
    PipelineProcess second = PipelineProcess.start(dir.resolve("run-2.log"), "run",
        config(dir, "p3-rocksdb.yaml", bootstrap, topic, 3, "rocksdb", false).toString(),
        "--from-savepoint", savepoint.toString());
    awaitRows(reader, 2 * PHASE, second);
    assertEquals(SIGTERM_EXIT, second.terminate(120), () -> "stop:\n" + KillLoop.tail(second));

    // Phase 3: the retained checkpoint at parallelism 1, bounded; duplicates of all before.
    produce(bootstrap, topic, 2 * PHASE);
    PipelineProcess third = PipelineProcess.start(dir.resolve("run-3.log"), "run",
        config(dir, "p1-rocksdb.yaml", bootstrap, topic, 1, "rocksdb", true).toString());
    assertEquals(0, third.awaitExit(180), () -> "final run:\n" + KillLoop.tail(third));

    List<Object[]> rows = reader.read(List.of("event_id"));
    Set<String> ids = new HashSet<>();
    rows.forEach(row -> ids.add((String) row[0]));
    Set<String> expected = new HashSet<>();
    for (long i = 0; i < 3 * PHASE; i++) {
      expected.add(SyntheticEvents.eventId(SEED, i));
    }
    assertEquals(3 * PHASE, rows.size(), "rows (a duplicate let through makes it larger)");
    assertEquals(expected, ids);
  }

  /** A phase's new events, then duplicates of every fourth event produced so far. */
  private static void produce(String bootstrap, String topic, long from) {
    SyntheticEvents.produce(bootstrap, topic, SEED, from, PHASE);
    SyntheticEvents.resend(bootstrap, topic, SEED, 0, from + PHASE, DUPLICATE_STRIDE);
  }

  private static void awaitRows(DeltaTableReader reader, int rows, PipelineProcess pipeline)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (KillLoop.tableVersion(reader) < 0 || reader.read(List.of("event_id")).size() < rows) {
      assertTrue(pipeline.isAlive(), () -> "pipeline died on its own:\n" + KillLoop.tail(pipeline));
      assertTrue(System.nanoTime() < deadline, () -> "not " + rows + " rows within 120 s:\n"
          + KillLoop.tail(pipeline));
      Thread.sleep(200);
    }
  }

  private static Path config(Path dir, String name, String bootstrap, String topic,
      int parallelism, String backend, boolean bounded) throws Exception {
    return DedupePipelines.write(dir, name, "rescale-pipeline", bootstrap, topic, parallelism,
        backend, bounded, "");
  }
}
