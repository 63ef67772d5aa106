package io.sluice.engine;

import static io.sluice.engine.JobTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.internal.checkpoint.CheckpointStorage;
import io.sluice.testing.SplitSource;
import io.sluice.testing.TestSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Commits run beside the checkpoints, never in their way, and are never lost when they lag. */
@Timeout(60)
class CommitCoordinationTest {
  private static final long N = 100_000;
  @TempDir Path dir;

  /**
   * The commit of checkpoint 2 hangs: later checkpoints still complete, a stop ends the job at
   * once, and the next run re-commits every checkpoint whose commit was never confirmed, in order.
   */
  @Test
  void aHangingCommitBlocksNeitherCheckpointsNorStopAndIsRedoneOnRestore() throws Exception {
    TestSink sink = new TestSink();
    CountDownLatch never = new CountDownLatch(1);
    sink.beforePublish = id -> {
      if (id == 2) {
        never.await();
      }
    };
    SplitSource source = new SplitSource(N, 4).recordsPerPoll(100).idleBetweenPolls(true);
    source.limit.set(N / 2);
    StreamEnvironment run1 = new StreamEnvironment(config(dir));
    run1.fromSource(source, "numbers", 2).rebalance(2).sinkTo(sink, "out");
    JobHandle handle = run1.start();
    CheckpointStorage storage = new CheckpointStorage(dir);
    awaitCondition(() -> storage.completedCheckpointIds().contains(5L), "checkpoint 5 completes");
    assertFalse(sink.publishedCheckpoints().contains(2L));

    long stopStart = System.nanoTime();
    handle.stop();
    JobResult stopped = handle.await();
    long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStart);
    assertTrue(stopMillis < 10_000, "stopping took " + stopMillis + " ms");
    assertEquals(1, stopped.lastCompletedCheckpointId(), "checkpoint 2 was never committed");

    sink.beforePublish = id -> {};
    source.limit.set(Long.MAX_VALUE);
    StreamEnvironment run2 = new StreamEnvironment(config(dir));
    run2.fromSource(source, "numbers", 2).rebalance(2).sinkTo(sink, "out");
    run2.execute();
    sink.assertExactly(N);
    long restored = sink.discardCalls.get(1);
    assertTrue(restored >= 5);
    for (long id = 2; id <= restored; id++) {
      assertTrue(sink.commitCalls.containsKey(id), "checkpoint " + id + " was committed");
    }
  }

  /** A commit stuck beyond the checkpoint timeout fails the attempt; the restart redoes it. */
  @Test
  void aCommitOutlivingTheCheckpointTimeoutIsRetriedAfterARestart() throws Exception {
    TestSink sink = new TestSink();
    AtomicBoolean blocked = new AtomicBoolean();
    sink.beforePublish = id -> {
      if (id == 3 && blocked.compareAndSet(false, true)) {
        new CountDownLatch(1).await();
      }
    };
    JobConfig c = config(dir).withRestarts(1, Duration.ofMillis(10));
    StreamEnvironment env =
        new StreamEnvironment(c.toBuilder().checkpointTimeout(Duration.ofMillis(500)).build());
    env.fromSource(new SplitSource(N, 4).recordsPerPoll(200).idleBetweenPolls(true), "numbers", 2)
        .sinkTo(sink, "out");
    env.execute();
    assertTrue(blocked.get());
    sink.assertExactly(N);
    assertEquals(2, sink.committersCreated.get(), "one restart");
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void awaitCondition(Condition condition, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("waited 30 s for: " + what);
      }
      Thread.sleep(5);
    }
  }
}
