package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.testing.DeltaTableReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One pipeline id, two checkpoint directories: the corrupting scenario (two instances
 * that each skipped the other's checkpoint ids as already committed). Both instances start at
 * once; exactly one may write the table, the other is refused with a message saying what to do.
 * The winner, run again from its own directory, goes on; a third start from an empty directory is
 * refused too. Every event is in the table exactly once.
 */
@ExtendWith(LocalKafkaExtension.class)
class LineageGuardTest {
  private static final int EVENTS = 120_000;
  private static final long SEED = 4242;

  @Test
  void aSecondCheckpointDirectoryOfOnePipelineIsRefused(LocalKafkaBroker broker, @TempDir Path dir)
      throws Exception {
    broker.createTopic("lineage", 4);
    SyntheticEvents.produce(broker.bootstrapServers(), "lineage", SEED, 0, EVENTS / 2);
    String table = dir.resolve("table").toString();

    PipelineProcess a = start(dir, broker, table, "a");
    PipelineProcess b = start(dir, broker, table, "b");
    int exitA = a.awaitExit(180);
    int exitB = b.awaitExit(180);
    assertTrue((exitA == 0) != (exitB == 0), "exactly one instance ran: exit codes " + exitA + ", " + exitB);
    String winner = exitA == 0 ? "a" : "b";
    PipelineProcess loser = exitA == 0 ? b : a;
    assertRefused(loser);
    TableContents.assertEachEventOnce(new DeltaTableReader(table), EVENTS / 2, SEED);

    // The rest of the topic, read by the winner restored from its own checkpoint directory.
    SyntheticEvents.produce(broker.bootstrapServers(), "lineage", SEED, EVENTS / 2, EVENTS / 2);
    PipelineProcess resumed = start(dir, broker, table, winner);
    assertEquals(0, resumed.awaitExit(180), () -> "the winner's directory resumes:\n" + KillLoop.tail(resumed));
    // A start from an empty checkpoint directory would read the topic again from its start.
    PipelineProcess fresh = start(dir, broker, table, "c");
    assertNotEquals(0, fresh.awaitExit(180));
    assertRefused(fresh);

    TableContents.assertEachEventOnce(new DeltaTableReader(table), EVENTS, SEED);
  }

  private static void assertRefused(PipelineProcess p) throws Exception {
    String log = p.logTail();
    log.lines().filter(line -> line.contains("from lineage")).findFirst().ifPresent(System.out::println);
    for (String expected : new String[] {
        "lineage", "checkpoint directory", "new pipeline id", "lineage-guard/"}) {
      assertTrue(log.contains(expected), "'" + expected + "' in:\n" + log);
    }
  }

  /** Instance {@code name} of pipeline lineage-guard: its own file, log and checkpoint directory. */
  private static PipelineProcess start(Path dir, LocalKafkaBroker broker, String table, String name)
      throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, SyntheticEventsPipeline.yaml("lineage-guard", broker.bootstrapServers(),
        "lineage", true, 2, table, "", "200ms", dir.resolve("checkpoints-" + name), ""));
    Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
    return PipelineProcess.start(log, "run", file.toString());
  }
}
