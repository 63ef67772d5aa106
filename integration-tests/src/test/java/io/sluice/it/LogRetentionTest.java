package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.TableManager;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.testing.DeltaTableReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Delta log stays bounded: a pipeline commits every 250 ms into a table whose log retention is
 * 4 seconds, with a log checkpoint every 5 commits. Old commits, checkpoints and checksums go;
 * every version left still reads with Kernel, growing version by version, and the table holds
 * each event once.
 */
@ExtendWith(LocalKafkaExtension.class)
class LogRetentionTest {
  private static final int MIN_EVENTS = 8_000;
  private static final int CHUNK = 400;
  private static final long SEED = 20261127L;
  private static final String SINK_OPTIONS = """
      partition-by: [event_type]
      log-checkpoint-interval: 5
      table-properties:
        delta.logRetentionDuration: interval 4 seconds""";

  @Test
  void oldLogFilesGoAndEveryVersionLeftReads(LocalKafkaBroker broker, @TempDir Path dir) throws Exception {
    broker.createTopic("retention", 4);
    Path table = dir.resolve("table");
    Path streaming = config(dir, broker, false);
    PipelineProcess pipeline = PipelineProcess.start(dir.resolve("streaming.log"), "run", streaming.toString());
    // Commits go on (a chunk every 250 ms) until a log cleanup removed the first commits: how many
    // commits that takes depends on the machine's speed, not on a fixed number of events.
    Path firstCommit = table.resolve("_delta_log").resolve(String.format("%020d.json", 0));
    Path firstChecksum = table.resolve("_delta_log").resolve(String.format("%020d.crc", 0));
    long produced = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    // (A cleanup deletes the commits first, then the checksums they leave: wait for both.)
    boolean created = false;
    while (produced < MIN_EVENTS || !created || Files.exists(firstCommit)
        || Files.exists(firstChecksum)) {
      created |= Files.exists(firstCommit);
      assertTrue(pipeline.isAlive(), () -> "the pipeline died:\n" + KillLoop.tail(pipeline));
      assertTrue(System.nanoTime() < deadline, "no log cleanup within 180 s");
      SyntheticEvents.produce(broker.bootstrapServers(), "retention", SEED, produced, CHUNK);
      produced += CHUNK;
      Thread.sleep(250);
    }
    pipeline.kill(); // a last bounded run ingests the rest
    PipelineProcess last = PipelineProcess.start(dir.resolve("bounded.log"), "run", config(dir, broker, true).toString());
    assertEquals(0, last.awaitExit(120), () -> KillLoop.tail(last));

    DeltaTableReader reader = new DeltaTableReader(table.toString());
    long latest = reader.snapshot().getVersion();
    Path log = table.resolve("_delta_log");
    Set<String> names = new HashSet<>();
    try (Stream<Path> files = Files.list(log)) {
      files.forEach(f -> names.add(f.getFileName().toString()));
    }
    long earliest = 0;
    while (!names.contains(String.format("%020d.json", earliest))) {
      earliest++;
    }
    System.out.printf("versions %d..%d of 0..%d left in the log (%d files)%n", earliest, latest, latest, names.size());
    assertTrue(earliest > 0, "the first commits are gone: " + names);
    assertTrue(names.contains(String.format("%020d.checkpoint.parquet", earliest)),
        "the oldest version left is a checkpoint's, which reads it and what follows");
    for (long v = 0; v < earliest; v++) {
      assertTrue(!names.contains(String.format("%020d.crc", v)), "checksum of version " + v + " left");
    }
    long expired = earliest - 1;
    assertThrows(RuntimeException.class,
        () -> TableManager.loadSnapshot(table.toString()).atVersion(expired).build(reader.engine()));

    // Every version left reads, each holding what the one before held and perhaps more.
    Set<String> previous = Set.of();
    for (long v = earliest; v <= latest; v++) {
      long version = v;
      List<Object[]> rows = new DeltaTableReader(
          () -> TableManager.loadSnapshot(table.toString()).atVersion(version).build(reader.engine()))
          .read(List.of("event_id"));
      Set<String> ids = new HashSet<>();
      rows.forEach(row -> ids.add((String) row[0]));
      assertEquals(rows.size(), ids.size(), "version " + v + " holds no event twice");
      assertTrue(ids.containsAll(previous), "version " + v + " keeps what version " + (v - 1) + " held");
      previous = ids;
    }
    TableContents.assertEachEventOnce(reader, produced, SEED);
  }

  private static Path config(Path dir, LocalKafkaBroker broker, boolean bounded) throws Exception {
    Path file = dir.resolve(bounded ? "bounded.yaml" : "streaming.yaml");
    Files.writeString(file, SyntheticEventsPipeline.yaml("retention", broker.bootstrapServers(),
        "retention", bounded, 2, dir.resolve("table").toString(), SINK_OPTIONS, "250ms",
        dir.resolve("checkpoints"), ""));
    return file;
  }
}
