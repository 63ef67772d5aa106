package io.sluice.delta;

import io.sluice.testing.DeltaTableReader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalog.CommitOutcome;
import io.sluice.catalog.DataActionsProducer;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitException;
import io.sluice.engine.UnrecoverableException;
import io.sluice.engine.row.Row;
import io.sluice.engine.sink.GlobalCommitter;
import io.sluice.engine.sink.SinkContext;
import io.sluice.engine.sink.SinkWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The global committer's reaction to each commit outcome, with a scripted client. */
class CommitterRetryTest {
  @TempDir Path dir;

  enum Step { OK, CONFLICT, UNKNOWN_BUT_LANDED, UNKNOWN_NOT_LANDED }

  /** Delegates to the real client, but answers commits from a script first. */
  static final class ScriptedClient extends DelegatingClient {
    final Deque<Step> script;
    int commits;

    ScriptedClient(TableCommitClient real, List<Step> steps) {
      super(real);
      this.script = new ArrayDeque<>(steps);
    }

    @Override
    public CommitOutcome commit(
        String appId, String lineage, long txnVersion, DataActionsProducer actions) {
      commits++;
      Step step = script.isEmpty() ? Step.OK : script.poll();
      return switch (step) {
        case OK -> real.commit(appId, lineage, txnVersion, actions);
        case CONFLICT -> new CommitOutcome.ConflictRetryable("injected conflict");
        case UNKNOWN_BUT_LANDED -> {
          real.commit(appId, lineage, txnVersion, actions);
          yield new CommitOutcome.StateUnknown(new IOException("injected: reply lost"));
        }
        case UNKNOWN_NOT_LANDED -> new CommitOutcome.StateUnknown(new IOException("injected"));
      };
    }
  }

  private ScriptedClient client;

  private DeltaSink sink(Path table, List<Step> steps) {
    DeltaSinkConfig config =
        DeltaSinkConfig.builder(table.toString(), DeltaSinkTest.SCHEMA, "pipe/t")
            .commitMaxAttempts(3)
            .commitRetryBackoff(Duration.ofMillis(1))
            .build();
    // The committer asks for its client first; later clients (the writers' location) are not scripted.
    return new DeltaSink(config, c -> {
      TableCommitClient real = TableCommitClientFactory.fileSystem().create(c);
      if (client != null) {
        return real;
      }
      client = new ScriptedClient(real, steps);
      return client;
    });
  }

  private static List<DeltaCommittable> stage(DeltaSink sink) throws Exception {
    try (SinkWriter<Row, DeltaCommittable> w = sink.createWriter(new SinkContext("pipe", 0, 1, -1))) {
      for (long i = 0; i < 10; i++) {
        w.write(DeltaSinkTest.row(i));
      }
      return w.prepareCommit(1);
    }
  }

  private static long dataCommits(Path table) throws IOException {
    try (Stream<Path> s = Files.list(table.resolve("_delta_log"))) {
      return s.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json")).count() - 1;
    }
  }

  private void run(List<Step> steps, int expectedCalls) throws Exception {
    Path table = dir.resolve("t");
    DeltaSink sink = sink(table, steps);
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(DeltaSinkTest.COMMITTER)) {
      committer.commit(1, stage(sink));
    }
    assertEquals(expectedCalls, client.commits);
    assertEquals(1, dataCommits(table));
    assertEquals(10, new DeltaTableReader(table.toString()).readRows(DeltaSinkTest.SCHEMA).size());
  }

  @Test
  void conflictsAreRetried() throws Exception {
    run(List.of(Step.CONFLICT, Step.CONFLICT), 3);
  }

  @Test
  void unknownStateThatLandedIsNotRetried() throws Exception {
    run(List.of(Step.UNKNOWN_BUT_LANDED), 1);
  }

  @Test
  void unknownStateThatDidNotLandIsRetried() throws Exception {
    run(List.of(Step.UNKNOWN_NOT_LANDED), 2);
  }

  @Test
  void failureBuildingTheActionsIsDefinitiveAndUnrecoverable() throws Exception {
    Path table = dir.resolve("t");
    DeltaSink sink = sink(table, List.of());
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(DeltaSinkTest.COMMITTER)) {
      DeltaCommittable good = stage(sink).get(0);
      // A committable that cannot become an AddFile: the same failure on every attempt.
      DeltaCommittable bad =
          new DeltaCommittable(
              good.relativePath(), good.sizeBytes(), good.modificationTime(),
              good.partitionValues(), good.numRecords(), "{not json");
      RuntimeException e = assertThrows(RuntimeException.class, () -> committer.commit(1, List.of(bad)));
      assertTrue(UnrecoverableException.isCauseOf(e), e.toString());
      assertEquals(1, client.commits, "not retried as if the commit might have landed");
      assertEquals(0, dataCommits(table));
    }
  }

  @Test
  void exhaustedAttemptsThrow() throws Exception {
    Path table = dir.resolve("t");
    DeltaSink sink = sink(table, List.of(Step.CONFLICT, Step.CONFLICT, Step.CONFLICT));
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(DeltaSinkTest.COMMITTER)) {
      List<DeltaCommittable> staged = stage(sink);
      assertThrows(TableCommitException.class, () -> committer.commit(1, staged));
      assertEquals(0, dataCommits(table));
      committer.commit(1, staged); // after failover: succeeds
    }
    assertEquals(1, dataCommits(table));
  }
}
