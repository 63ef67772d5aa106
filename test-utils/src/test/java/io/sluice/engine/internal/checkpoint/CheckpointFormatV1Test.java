package io.sluice.engine.internal.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.JobConfig;
import io.sluice.engine.JobResult;
import io.sluice.engine.StreamEnvironment;
import io.sluice.testing.SplitSource;
import io.sluice.testing.TestSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint written by the release before operator ids (format 1) restores and resumes. */
@Timeout(60)
class CheckpointFormatV1Test {
  private static final Path FIXTURE = Path.of("src/test/resources/fixtures/checkpoint-v1");

  @Test
  void aFormat1CheckpointRestoresAndTheJobResumesExactlyOnce(@TempDir Path dir) throws Exception {
    copy(FIXTURE.resolve("checkpoints"), dir);
    CheckpointMetadata old = new CheckpointStorage(dir).loadLatest().orElseThrow();
    assertEquals(1, old.formatVersion());
    assertEquals(8, old.checkpointId());
    // Version 1 recorded no lineage: every restore of it agrees on one derived from the pipeline.
    String lineage = CheckpointMetadata.legacyLineage("test-pipeline");
    assertEquals(lineage, old.lineage());

    TestSink sink = new TestSink();
    StreamEnvironment env =
        new StreamEnvironment(
            JobConfig.of("test-pipeline", dir)
                .withCheckpointInterval(Duration.ofMillis(20))
                .withRestarts(0, Duration.ofMillis(1)));
    env.fromSource(new SplitSource(3000, 6), "numbers", 2).rebalance(3).sinkTo(sink, "out");
    JobResult result = env.execute();

    // The restored checkpoint is re-committed into this (fresh) sink, then the job resumes.
    assertEquals(List.of(8L), sink.discardCalls);
    assertEquals(1, sink.commitCalls.get(8L));
    assertTrue(result.lastCompletedCheckpointId() > 8);
    List<Long> all = new ArrayList<>(sink.publishedSorted());
    for (String line : Files.readAllLines(FIXTURE.resolve("published-before-restore.txt"))) {
      all.add(Long.parseLong(line));
    }
    TreeSet<Long> distinct = new TreeSet<>(all);
    assertEquals(3000, all.size(), "no value lost or published twice across the upgrade");
    assertEquals(3000, distinct.size());
    assertEquals(0L, distinct.first());
    assertEquals(2999L, distinct.last());
    assertEquals(List.of(), sink.violations);
    CheckpointMetadata upgraded = new CheckpointStorage(dir).loadLatest().orElseThrow();
    assertEquals(2, upgraded.formatVersion());
    assertEquals(lineage, upgraded.lineage());
    assertEquals(List.of(lineage), sink.committerLineages);
  }

  static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
