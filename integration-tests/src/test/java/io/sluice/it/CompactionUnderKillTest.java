package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.TableManager;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.testing.DeltaTableReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction next to ingestion under SIGKILL: the pipeline compacts after its commits (every 3
 * small files of a tier), a {@code sluice compact} of the whole table runs again and again in
 * other processes, and the pipeline is killed at random moments and restarted. The table must
 * hold each event once, in far fewer files than were written, and read at every version.
 */
@ExtendWith(LocalKafkaExtension.class)
class CompactionUnderKillTest {
  private static final int EVENTS = 60_000;
  private static final int EARLY_EVENTS = 12_000;
  private static final int CHUNK = 500;
  private static final int KILLS = 4;
  private static final long SEED = 20261128L;
  private static final String SINK_OPTIONS = """
      partition-by: [event_type]
      target-file-size: 1MB
      compaction:
        min-files: 3""";

  @Test
  void rowsStayExactWhileCompactionsRaceIngestionAndKills(LocalKafkaBroker broker, @TempDir Path dir)
      throws Exception {
    broker.createTopic("compact", 4);
    SyntheticEvents.produce(broker.bootstrapServers(), "compact", SEED, 0, EARLY_EVENTS);
    Path table = dir.resolve("table");
    DeltaTableReader reader = new DeltaTableReader(table.toString());
    AtomicBoolean killing = new AtomicBoolean(true);
    AtomicInteger compactRuns = new AtomicInteger();
    Thread compacting = new Thread(() -> {
      while (killing.get()) {
        try {
          if (KillLoop.tableVersion(reader) > 0) {
            PipelineProcess compact = PipelineProcess.start(
                dir.resolve("compact-" + compactRuns.get() + ".log"), "compact", table.toString());
            assertEquals(0, compact.awaitExit(120), () -> KillLoop.tail(compact));
            compactRuns.incrementAndGet();
          }
          Thread.sleep(200);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }, "sluice-compact-loop");
    compacting.start();
    try (KillLoop.LateProducer producer = new KillLoop.LateProducer(EARLY_EVENTS, EVENTS, CHUNK, 800,
        from -> SyntheticEvents.produce(broker.bootstrapServers(), "compact", SEED, from, CHUNK))) {
      KillLoop.killRepeatedly(dir, reader, KILLS, new Random(SEED), producer,
          "run", config(dir, broker, false).toString());
    } finally {
      killing.set(false);
      compacting.join();
    }
    PipelineProcess last = PipelineProcess.start(dir.resolve("final.log"), "run", config(dir, broker, true).toString());
    assertEquals(0, last.awaitExit(180), () -> KillLoop.tail(last));

    TableContents.assertEachEventOnce(reader, EVENTS, SEED);
    long latest = reader.snapshot().getVersion();
    int written = 0;
    int compactions = 0;
    for (long v = 1; v <= latest; v++) {
      boolean compaction = false;
      for (String line : Files.readAllLines(table.resolve("_delta_log").resolve(String.format("%020d.json", v)))) {
        JsonNode action = new ObjectMapper().readTree(line);
        if (action.has("add") && action.get("add").get("dataChange").asBoolean()) {
          written++;
        }
        compaction |= action.has("remove") && !action.get("remove").get("dataChange").asBoolean();
      }
      compactions += compaction ? 1 : 0;
    }
    System.out.printf("%d versions, %d compaction commits (%d sluice compact runs), %d files"
        + " written, %d live%n", latest, compactions, compactRuns.get(), written, reader.files().size());
    assertTrue(compactRuns.get() > 0, "sluice compact ran next to the pipeline");
    assertTrue(compactions > 0, "compactions committed");
    // One more compaction leaves a file per event type (all are small).
    PipelineProcess compact = PipelineProcess.start(dir.resolve("compact-last.log"), "compact", table.toString());
    assertEquals(0, compact.awaitExit(120), () -> KillLoop.tail(compact));
    assertEquals(SyntheticEvents.EVENT_TYPES.size(), reader.files().size(), "of " + written + " written");
    TableContents.assertEachEventOnce(reader, EVENTS, SEED);
    latest = reader.snapshot().getVersion();

    // Every version reads, each holding a subset of the events, none twice.
    for (long v = 0; v <= latest; v++) {
      long version = v;
      List<Object[]> rows = new DeltaTableReader(
          () -> TableManager.loadSnapshot(table.toString()).atVersion(version).build(reader.engine()))
          .read(List.of("event_id"));
      assertEquals(rows.size(), rows.stream().map(r -> r[0]).distinct().count(), "version " + v);
    }
  }

  private static Path config(Path dir, LocalKafkaBroker broker, boolean bounded) throws Exception {
    Path file = dir.resolve(bounded ? "bounded.yaml" : "streaming.yaml");
    Files.writeString(file, SyntheticEventsPipeline.yaml("compaction-kill", broker.bootstrapServers(),
        "compact", bounded, 2, dir.resolve("table").toString(), SINK_OPTIONS, "500ms",
        dir.resolve("checkpoints"), ""));
    return file;
  }
}
