package io.sluice.engine;

import static io.sluice.engine.JobTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.source.InputStatus;
import io.sluice.engine.source.Output;
import io.sluice.engine.source.Source;
import io.sluice.engine.source.SourceReader;
import io.sluice.testing.SplitSource;
import io.sluice.testing.TestSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ExactlyOnceTest {
  @TempDir Path dir;

  @Test
  void boundedJobCommitsItsLastRecordsWithTheFinalCheckpoint() throws Exception {
    SplitSource source = new SplitSource(10_000, 4);
    TestSink sink = new TestSink();
    // No periodic checkpoint during the run: checkpoint 1 pins the start positions before any
    // record flows, and the final checkpoint 2 commits everything.
    StreamEnvironment env =
        new StreamEnvironment(config(dir).withCheckpointInterval(Duration.ofHours(1)));
    env.fromSource(source, "numbers", 2).map(v -> v).rebalance(3).sinkTo(sink, "out");
    JobResult result = env.execute();

    sink.assertExactly(10_000);
    assertEquals(2, result.lastCompletedCheckpointId());
    assertEquals(10_000, result.recordsWritten());
    assertEquals(List.of(-1L), sink.discardCalls);
    assertEquals(List.of(-1L, -1L, -1L), sink.writerRestoredIds);
    assertEquals(3, sink.writersClosed.get());
    assertEquals(2, source.readersClosed.get());
    assertEquals(1, sink.committersClosed.get());
    assertEquals(4, source.completeNotifications.get());
    assertTrue(Files.isRegularFile(dir.resolve("chk-2").resolve("_metadata")));
  }

  /**
   * A reader that starts at "the end of the log" when it has no state, like Kafka's latest: a
   * restart before the first periodic checkpoint must resume where the first attempt started,
   * not at the end the log has grown to meanwhile.
   */
  /**
   * An attempt of a fresh start may reach the table (the sink records its lineage) before it
   * fails, ahead of its first checkpoint: the next fresh start in the directory keeps the lineage.
   */
  @Test
  void aFreshStartThatFailsBeforeItsFirstCheckpointKeepsItsLineage() throws Exception {
    AtomicBoolean failed = new AtomicBoolean();
    SplitSource numbers = new SplitSource(1_000, 2);
    Source<Long> failsOnce = ctx -> {
      if (failed.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure before the first checkpoint");
      }
      return numbers.createReader(ctx);
    };
    TestSink sink = new TestSink();
    StreamEnvironment env =
        new StreamEnvironment(config(dir).withRestarts(1, Duration.ofMillis(1)));
    env.fromSource(failsOnce, "numbers", 2).sinkTo(sink, "out");
    env.execute();

    assertTrue(failed.get());
    sink.assertExactly(1_000);
    assertEquals(2, sink.committerLineages.size());
    assertEquals(sink.committerLineages.get(0), sink.committerLineages.get(1));
  }

  @Test
  void restartBeforeTheFirstPeriodicCheckpointResumesFromThePinnedStartPosition() throws Exception {
    AtomicLong logEnd = new AtomicLong();
    Source<Long> latest = ctx -> new SourceReader<>() {
      long next;

      @Override
      public void open(List<byte[]> restoredStates) {
        next = restoredStates.isEmpty() ? logEnd.get() : java.nio.ByteBuffer.wrap(restoredStates.get(0)).getLong();
      }

      @Override
      public InputStatus pollNext(Output<Long> output) {
        logEnd.set(100); // producers keep appending after the job started
        if (next >= 100) {
          return InputStatus.END_OF_INPUT;
        }
        output.collect(next++);
        return InputStatus.MORE_AVAILABLE;
      }

      @Override
      public byte[] snapshotState(long checkpointId) {
        return java.nio.ByteBuffer.allocate(8).putLong(next).array();
      }
    };
    TestSink sink = new TestSink();
    AtomicBoolean failed = new AtomicBoolean();
    StreamEnvironment env = new StreamEnvironment(
        config(dir).withCheckpointInterval(Duration.ofHours(1)).withRestarts(1, Duration.ofMillis(1)));
    env.fromSource(latest, "latest", 1)
        .map(v -> {
          if (failed.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure before any periodic checkpoint");
          }
          return v;
        })
        .sinkTo(sink, "out");
    env.execute();

    assertTrue(failed.get());
    sink.assertExactly(100);
  }

  @Test
  void chainedStageWithoutExchange() throws Exception {
    SplitSource source = new SplitSource(5_000, 3);
    TestSink sink = new TestSink();
    StreamEnvironment env = new StreamEnvironment(config(dir));
    env.fromSource(source, "numbers", 3)
        .filter(v -> v % 2 == 0)
        .flatMap((Long v, io.sluice.engine.source.Output<Long> out) -> {
          out.collect(v);
          out.collect(v + 1);
        })
        .map(v -> v)
        .sinkTo(sink, "out");
    JobResult result = env.execute();
    sink.assertExactly(5_000);
    assertEquals(5_000, result.recordsWritten());

    // Running the finished pipeline again restores its final positions: nothing new, no duplicate.
    JobResult again = env.start().await();
    assertEquals(result.lastCompletedCheckpointId() + 1, again.lastCompletedCheckpointId());
    assertEquals(0, again.recordsWritten());
    sink.assertExactly(5_000);
  }

  /** A map throws once mid-run; the job restarts from its latest checkpoint. */
  @Test
  void failureMidRunRestoresWithoutLossOrDuplicates() throws Exception {
    final long n = 200_000;
    SplitSource source = new SplitSource(n, 6).recordsPerPoll(200).idleBetweenPolls(true);
    TestSink sink = new TestSink();
    AtomicBoolean failed = new AtomicBoolean();
    StreamEnvironment env =
        new StreamEnvironment(config(dir).withRestarts(2, Duration.ofMillis(10)));
    env.fromSource(source, "numbers", 2)
        .map(
            v -> {
              if (sink.publishedCheckpoints().size() >= 2 && failed.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at " + v);
              }
              return v;
            })
        .rebalance(3)
        .sinkTo(sink, "out");
    JobResult result = env.execute();

    assertTrue(failed.get());
    sink.assertExactly(n);
    assertEquals(n, result.recordsWritten());
    assertEquals(2, sink.committersCreated.get());
    assertEquals(1, Set.copyOf(sink.committerLineages).size(), "a restart continues the lineage");
    assertEquals(2, sink.discardCalls.size());
    long restoredFrom = sink.discardCalls.get(1);
    assertTrue(restoredFrom >= 2, "restored from " + restoredFrom);
    // The engine re-committed the restored (already published) checkpoint; it published once.
    assertEquals(2, sink.commitCalls.get(restoredFrom));
    assertTrue(sink.writerRestoredIds.contains(restoredFrom));
    // Every reader of the second attempt got the states of all readers.
    assertEquals(List.of(0, 0, 2, 2), source.restoredStateCounts);
    assertEquals(result.lastCompletedCheckpointId(), sink.commitCalls.keySet().stream().mapToLong(x -> x).max().orElseThrow());
  }

  /** A writer throws once in a chained stage (source and sink in one task, no exchange). */
  @Test
  void writerFailureInChainedStageRestores() throws Exception {
    final long n = 100_000;
    SplitSource source = new SplitSource(n, 3).recordsPerPoll(200).idleBetweenPolls(true);
    TestSink sink = new TestSink();
    AtomicBoolean failed = new AtomicBoolean();
    sink.onWrite =
        v -> {
          if (sink.publishedCheckpoints().size() >= 1 && failed.compareAndSet(false, true)) {
            throw new IllegalStateException("injected writer failure at " + v);
          }
        };
    StreamEnvironment env =
        new StreamEnvironment(config(dir).withRestarts(1, Duration.ofMillis(10)));
    env.fromSource(source, "numbers", 3).sinkTo(sink, "out");
    JobResult result = env.execute();

    assertTrue(failed.get());
    sink.assertExactly(n);
    assertEquals(n, result.recordsWritten());
    long restoredFrom = sink.discardCalls.get(1);
    assertTrue(restoredFrom >= 1);
    assertEquals(2, sink.commitCalls.get(restoredFrom));
    assertEquals(6, sink.writersClosed.get()); // failed attempt's writers closed too
  }

  /** Crash after the metadata of N is durable but before N is published. */
  @Test
  void commitFailureBeforePublishIsRecommittedOnce() throws Exception {
    final long n = 100_000;
    SplitSource source = new SplitSource(n, 4).recordsPerPoll(200).idleBetweenPolls(true);
    TestSink sink = new TestSink();
    sink.failBeforePublish.add(3L);
    StreamEnvironment env =
        new StreamEnvironment(config(dir).withRestarts(1, Duration.ofMillis(10)));
    env.fromSource(source, "numbers", 2).rebalance(2).sinkTo(sink, "out");
    JobResult result = env.execute();

    sink.assertExactly(n);
    assertEquals(2, sink.commitCalls.get(3L)); // failed once, re-committed on restore
    assertEquals(List.of(-1L, 3L), sink.discardCalls);
    assertEquals(n, result.recordsWritten());
  }

  /** Commit published but threw ("state unknown"): the engine calls commit again, no duplicate. */
  @Test
  void commitFailureAfterPublishDoesNotDuplicate() throws Exception {
    final long n = 100_000;
    SplitSource source = new SplitSource(n, 4).recordsPerPoll(200).idleBetweenPolls(true);
    TestSink sink = new TestSink();
    sink.failAfterPublish.add(2L);
    StreamEnvironment env =
        new StreamEnvironment(config(dir).withRestarts(1, Duration.ofMillis(10)));
    // Two exchanges in a row: barriers and end of input pass through an intermediate stage.
    env.fromSource(source, "numbers", 2).rebalance(3).map(v -> v).rebalance(2).sinkTo(sink, "out");
    env.execute();

    sink.assertExactly(n);
    assertEquals(2, sink.commitCalls.get(2L));
    assertEquals(List.of(-1L, 2L), sink.discardCalls);
  }

  @Test
  void restoreAtDifferentParallelismUsesUnionState() throws Exception {
    final long n = 60_000;
    TestSink sink = new TestSink();
    SplitSource first = new SplitSource(n, 6).recordsPerPoll(100).idleBetweenPolls(true);
    first.limit.set(n / 2); // the first run never gets past half
    StreamEnvironment env1 = new StreamEnvironment(config(dir));
    env1.fromSource(first, "numbers", 3).rebalance(2).sinkTo(sink, "out");
    JobHandle run1 = env1.start();
    sink.awaitPublished(s -> s.publishedCount() >= n / 4, Duration.ofSeconds(30));
    run1.stop();
    JobResult r1 = run1.await();
    assertTrue(r1.lastCompletedCheckpointId() >= 1);
    int publishedByRun1 = sink.publishedCount();
    assertTrue(publishedByRun1 <= n / 2);

    SplitSource second = new SplitSource(n, 6).recordsPerPoll(500);
    StreamEnvironment env2 = new StreamEnvironment(config(dir));
    env2.fromSource(second, "numbers", 2).map(v -> v).rebalance(4).sinkTo(sink, "out");
    JobResult r2 = env2.execute();

    sink.assertExactly(n);
    assertEquals(List.of(3, 3), second.restoredStateCounts);
    long restored = sink.discardCalls.get(1);
    assertTrue(restored >= r1.lastCompletedCheckpointId());
    assertEquals(List.of(restored, restored, restored, restored), sink.writerRestoredIds.subList(2, 6));
    assertEquals(2, sink.commitCalls.get(restored));
    assertTrue(r2.lastCompletedCheckpointId() > restored);
    assertEquals(n - publishedByRun1, r2.recordsWritten());
  }

  @Test
  void backpressureBoundsInFlightRecordsAndCheckpointsStillComplete() throws Exception {
    SplitSource source = new SplitSource(Long.MAX_VALUE / 2, 1).recordsPerPoll(100);
    TestSink sink = new TestSink();
    sink.writeDelayNanos = 200_000; // ~5k records/s at most
    AtomicLong written = new AtomicLong();
    AtomicLong maxInFlight = new AtomicLong();
    sink.onWrite =
        v -> {
          long inFlight = source.emitted.get() - written.incrementAndGet();
          maxInFlight.accumulateAndGet(inFlight, Math::max);
        };
    StreamEnvironment env =
        new StreamEnvironment(config(dir).withExchange(4, 2).withCheckpointInterval(Duration.ofMillis(10)));
    env.fromSource(source, "numbers", 1).map(v -> v).rebalance(1).sinkTo(sink, "out");
    JobHandle handle = env.start();
    sink.awaitPublished(s -> s.publishedCheckpoints().size() >= 5, Duration.ofSeconds(30));
    handle.stop();
    JobResult result = handle.await();

    assertTrue(result.lastCompletedCheckpointId() >= 5);
    // producer batch (4) + channel (2 x 4) + the consumer's batch (4) + the record in hand
    assertTrue(maxInFlight.get() <= 17, "in flight " + maxInFlight.get());
    assertTrue(source.emitted.get() - written.get() <= 17);
    assertEquals(List.of(), sink.violations);
  }

  @Test
  void corruptLatestCheckpointFailsNamingTheFile() throws Exception {
    Path file = dir.resolve("chk-5").resolve("_metadata");
    Files.createDirectories(file.getParent());
    Files.write(file, "not a checkpoint".getBytes());
    TestSink sink = new TestSink();
    StreamEnvironment env = new StreamEnvironment(config(dir).withRestarts(3, Duration.ofMillis(1)));
    env.fromSource(new SplitSource(10, 1), "numbers", 1).sinkTo(sink, "out");
    JobFailedException e = assertThrows(JobFailedException.class, env::execute);
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertEquals(0, sink.committersCreated.get()); // no restart attempts, nothing started
  }

  @Test
  void checkpointTimeoutFailsTheJob() throws Exception {
    TestSink sink = new TestSink();
    sink.hangInPrepareCommit = id -> true;
    JobConfig cfg =
        config(dir).toBuilder()
            .checkpointInterval(Duration.ofMillis(10))
            .checkpointTimeout(Duration.ofMillis(300))
            .build();
    StreamEnvironment env = new StreamEnvironment(cfg);
    env.fromSource(new SplitSource(1_000_000, 2).idleBetweenPolls(true), "numbers", 2)
        .rebalance(1)
        .sinkTo(sink, "out");
    JobFailedException e = assertThrows(JobFailedException.class, env::execute);
    assertInstanceOf(TimeoutException.class, e.getCause());
    assertEquals(1, sink.writersClosed.get());
  }

  @Test
  void failureWithoutRestartsIsReportedWithItsRootCause() {
    TestSink sink = new TestSink();
    StreamEnvironment env = new StreamEnvironment(config(dir));
    env.fromSource(new SplitSource(1000, 1), "numbers", 1)
        .map(v -> {
          if (v == 500) {
            throw new java.io.IOException("boom");
          }
          return v;
        })
        .sinkTo(sink, "out");
    JobFailedException e = assertThrows(JobFailedException.class, env::execute);
    assertInstanceOf(java.io.IOException.class, e.getCause());
    assertEquals("boom", e.getCause().getMessage());
    assertEquals(1, sink.writersClosed.get());
  }

  @Test
  void unrecoverableFailureSkipsTheRemainingRestarts() {
    TestSink sink = new TestSink();
    StreamEnvironment env = new StreamEnvironment(config(dir).withRestarts(3, Duration.ofMillis(1)));
    env.fromSource(new SplitSource(1000, 1), "numbers", 1)
        .map(v -> {
          if (v == 500) {
            throw new IllegalStateException("wrapped", new UnrecoverableException("record 500 is poison"));
          }
          return v;
        })
        .sinkTo(sink, "out");
    JobFailedException e = assertThrows(JobFailedException.class, env::execute);
    assertEquals("record 500 is poison", e.getCause().getCause().getMessage());
    assertEquals(1, sink.committersCreated.get(), "no restart was attempted");
  }

  @Test
  void restoreRefusesASourceThatTheCheckpointDoesNotKnow() throws Exception {
    StreamEnvironment first = new StreamEnvironment(config(dir));
    first.fromSource(new SplitSource(100, 1), "orders", 1).sinkTo(new TestSink(), "out");
    first.execute();

    TestSink sink = new TestSink();
    StreamEnvironment renamed = new StreamEnvironment(config(dir).withRestarts(3, Duration.ofMillis(1)));
    renamed.fromSource(new SplitSource(100, 1), "orders-v2", 1).sinkTo(sink, "out");
    JobFailedException e = assertThrows(JobFailedException.class, renamed::execute);
    assertTrue(e.getMessage().contains("source 'orders-v2' has no state in checkpoint"), e.getMessage());
    assertEquals(0, sink.committersCreated.get(), "refused before anything started, without restarts");
  }

  @Test
  void aFreshSourceReadsNothingBeforeItsStartPositionIsDurable() throws Exception {
    AtomicBoolean polledBeforePinned = new AtomicBoolean();
    AtomicLong firstCompleted = new AtomicLong(-1);
    Source<Long> source = ctx -> new SourceReader<>() {
      long next;

      @Override
      public void open(List<byte[]> restoredStates) {}

      @Override
      public InputStatus pollNext(Output<Long> output) {
        if (firstCompleted.get() < 0) {
          polledBeforePinned.set(true);
        }
        if (next == 10) {
          return InputStatus.END_OF_INPUT;
        }
        output.collect(next++);
        return InputStatus.MORE_AVAILABLE;
      }

      @Override
      public byte[] snapshotState(long checkpointId) {
        return new byte[0];
      }

      @Override
      public void notifyCheckpointComplete(long checkpointId) {
        firstCompleted.compareAndSet(-1, checkpointId);
      }
    };
    TestSink sink = new TestSink();
    StreamEnvironment env = new StreamEnvironment(config(dir).withCheckpointInterval(Duration.ofHours(1)));
    env.fromSource(source, "numbers", 1).sinkTo(sink, "out");
    env.execute();

    assertEquals(1, firstCompleted.get());
    assertFalse(polledBeforePinned.get(), "the reader was polled before checkpoint 1 completed");
    sink.assertExactly(10);
  }

  @Test
  void aSecondJobOnTheSameCheckpointDirectoryIsRefused() throws Exception {
    SplitSource endless = new SplitSource(Long.MAX_VALUE, 1).recordsPerPoll(1).idleBetweenPolls(true);
    StreamEnvironment first = new StreamEnvironment(config(dir));
    first.fromSource(endless, "numbers", 1).sinkTo(new TestSink(), "out");
    JobHandle running = first.start();
    try {
      TestSink sink = new TestSink();
      StreamEnvironment second = new StreamEnvironment(config(dir).withRestarts(3, Duration.ofMillis(1)));
      second.fromSource(new SplitSource(10, 1), "numbers", 1).sinkTo(sink, "out");
      JobFailedException e = assertThrows(JobFailedException.class, second::execute);
      assertTrue(e.getMessage().contains("is in use by another running job"), e.getMessage());
      assertEquals(0, sink.committersCreated.get());
    } finally {
      running.stop();
      running.await();
    }
    // Once the first job ended, the directory is free again.
    StreamEnvironment third = new StreamEnvironment(config(dir));
    third.fromSource(new SplitSource(10, 1), "numbers", 1).sinkTo(new TestSink(), "out");
    third.execute();
  }
}
