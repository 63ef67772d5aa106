package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.testing.DeltaTableReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill beside the live pipeline, into its table: the topic holds a past batch of events; the
 * live pipeline starts at the time after it and ingests events produced all along, while a
 * backfill covers the past batch's time range. The backfill is stopped (SIGTERM) after its first
 * commit and run again to finish; run again after that it adds nothing; run once more without its
 * checkpoint directory it is refused. Every event is in the table exactly once, and the two
 * pipelines' commits interleave. A failed run leaves its directory (logs, table, checkpoints).
 */
@ExtendWith(LocalKafkaExtension.class)
class BackfillTest {
  /** A stop on SIGTERM that committed its final checkpoint is a success. */
  private static final int SIGTERM_EXIT = 0;
  private static final String TOPIC = "backfill-events";
  private static final long PAST_SEED = 71;
  private static final long LIVE_SEED = 72;
  private static final int PAST_EVENTS = 200_000;
  private static final String PIPELINE = "orders";
  private static final String BACKFILL_APP_ID = PIPELINE + "/backfill-fix-1";
  /** The committer's line for each commit it published, with the table version. */
  private static final Pattern COMMITTED =
      Pattern.compile("Committed checkpoint \\d+ of \\S+ to .* as version (\\d+) \\(");

  @Test
  void aBackfillBesideTheLivePipelineAddsItsRangeOnceAndARerunNothing(LocalKafkaBroker broker,
      @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
    String bootstrap = broker.bootstrapServers();
    broker.createTopic(TOPIC, 4);
    long from = System.currentTimeMillis();
    SyntheticEvents.produce(bootstrap, TOPIC, PAST_SEED, 0, PAST_EVENTS);
    long to = System.currentTimeMillis() + 1; // every past event is older
    while (System.currentTimeMillis() < to) {
      Thread.onSpinWait(); // every live event is at least this recent
    }
    String table = dir.resolve("table").toString();
    Path file = dir.resolve("orders.yaml");
    Files.writeString(file, SyntheticEventsPipeline.yaml(PIPELINE, bootstrap, TOPIC, false, 2,
            table, "", "200ms", dir.resolve("checkpoints"), "")
        .replace("  bounded: false\n", "  bounded: false\n  start: " + to + "\n"));
    DeltaTableReader reader = new DeltaTableReader(table);

    long started = System.nanoTime();
    PipelineProcess live = PipelineProcess.start(dir.resolve("live.log"), "run", file.toString());
    SyntheticEvents.ContinuousProducer producer =
        SyntheticEvents.startContinuous(bootstrap, TOPIC, 5_000, LIVE_SEED);
    String[] backfill = {"backfill", file.toString(), "--id", "fix-1", "--from",
        String.valueOf(from), "--to", String.valueOf(to), "--progress-interval", "1s"};
    PipelineProcess first = PipelineProcess.start(dir.resolve("backfill-1.log"), backfill);
    first.await("the backfill's first commit", 120,
        () -> KillLoop.tableVersion(reader) >= 0
            && reader.transactionVersion(BACKFILL_APP_ID).isPresent());
    assertEquals(SIGTERM_EXIT, first.terminate(120), () -> KillLoop.tail(first));
    assertTrue(first.logTail().contains("sluice: backfill 'fix-1' stopped at checkpoint "),
        () -> KillLoop.tail(first));

    PipelineProcess second = PipelineProcess.start(dir.resolve("backfill-2.log"), backfill);
    assertEquals(0, second.awaitExit(300), () -> KillLoop.tail(second));
    String secondLog = Files.readString(dir.resolve("backfill-2.log"));
    assertTrue(secondLog.contains("sluice: backfill 'fix-1' finished: " + PAST_EVENTS + " of "
        + PAST_EVENTS + " records of the range done"), () -> KillLoop.tail(second));
    assertTrue(Pattern.compile("sluice: backfill 'fix-1': \\d+ of " + PAST_EVENTS + " records")
        .matcher(secondLog).find(), "progress lines:\n" + secondLog);

    producer.close();
    assertEquals(null, producer.failure());
    long liveEvents = producer.produced();
    System.out.printf("backfill done after %.1f s, %d live events produced meanwhile%n",
        (System.nanoTime() - started) / 1e9, liveEvents);
    live.await("every live event in the table", 180,
        () -> TableContents.rows(reader) >= PAST_EVENTS + liveEvents);
    assertEquals(SIGTERM_EXIT, live.terminate(60), () -> KillLoop.tail(live));
    Map<Long, Long> expected = Map.of(PAST_SEED, (long) PAST_EVENTS, LIVE_SEED, liveEvents);
    TableContents.assertEachEventOnce(reader, expected);
    assertTrue(reader.transactionVersion(BACKFILL_APP_ID).isPresent());
    // Both committed to the table at once: the live pipeline between two commits of one backfill run.
    List<Long> backfillVersions = committedVersions(dir.resolve("backfill-2.log"));
    List<Long> liveVersions = committedVersions(dir.resolve("live.log"));
    long firstBackfill = backfillVersions.get(0);
    long lastBackfill = backfillVersions.get(backfillVersions.size() - 1);
    assertTrue(liveVersions.stream().anyMatch(v -> v > firstBackfill && v < lastBackfill),
        "a live commit between versions " + backfillVersions + " of the backfill: " + liveVersions);
    System.out.printf("%d commits of the backfill's second run, %d of the live pipeline; commits "
            + "rebased over concurrent ones: %d of the live pipeline, %d of the backfill%n",
        backfillVersions.size(), liveVersions.size(), rebased(dir.resolve("live.log")),
        rebased(dir.resolve("backfill-1.log")) + rebased(dir.resolve("backfill-2.log")));

    // The same backfill again: restored at the end of its range, it reads and commits nothing.
    long version = KillLoop.tableVersion(reader);
    PipelineProcess again = PipelineProcess.start(dir.resolve("backfill-3.log"), backfill);
    assertEquals(0, again.awaitExit(120), () -> KillLoop.tail(again));
    assertTrue(again.logTail().contains("sluice: backfill 'fix-1' finished: " + PAST_EVENTS
        + " of " + PAST_EVENTS + " records of the range done; this run read 0 records"),
        () -> KillLoop.tail(again));
    assertTrue(again.logTail().contains("sluice: 0 commits to " + table + " by this run; table "
        + "version " + version), () -> KillLoop.tail(again));
    assertEquals(version, KillLoop.tableVersion(reader));

    // Its checkpoint directory lost, it would read the range again: the table refuses it.
    deleteRecursively(dir.resolve("checkpoints").resolve("backfill-fix-1"));
    PipelineProcess lost = PipelineProcess.start(dir.resolve("backfill-4.log"), backfill);
    assertEquals(1, lost.awaitExit(120), () -> KillLoop.tail(lost));
    String refusal = lost.logTail();
    for (String words : new String[] {"lineage", "deleted, moved or replaced",
        "a second time, so nothing was read or written", "Restore the checkpoint directory",
        "new --id"}) {
      assertTrue(refusal.contains(words), "'" + words + "' in:\n" + refusal);
    }
    assertEquals(version, KillLoop.tableVersion(reader));
    TableContents.assertEachEventOnce(reader, expected);
  }

  /** The table versions of the commits a run's log says it published, in order. */
  private static List<Long> committedVersions(Path log) throws IOException {
    List<Long> versions = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      Matcher committed = COMMITTED.matcher(line);
      if (committed.find()) {
        versions.add(Long.parseLong(committed.group(1)));
      }
    }
    return versions;
  }

  /** Commits that Kernel rebased over concurrent ones, or retried after a conflict. */
  private static long rebased(Path log) throws IOException {
    try (Stream<String> lines = Files.lines(log)) {
      return lines.filter(line -> line.contains(" concurrent commits (read version ")
          || line.contains(" conflicted; retrying")).count();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
