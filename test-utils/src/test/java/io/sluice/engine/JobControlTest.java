package io.sluice.engine;

import static io.sluice.engine.JobTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.SplitSource;
import io.sluice.testing.TestSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Steering a running job: stop with a final checkpoint, checkpoints on request, pause, status. */
@Timeout(60)
class JobControlTest {
  private static final long N = 1_000_000_000L; // never reached: the job runs until stopped
  @TempDir Path dir;

  private JobHandle start(SplitSource source, TestSink sink, JobConfig config) {
    StreamEnvironment env = new StreamEnvironment(config);
    env.fromSource(source, "numbers", 2).sinkTo(sink, "out");
    return env.start();
  }

  @Test
  void aStopWithACheckpointCommitsEverythingReadSoTheNextStartReReadsNothing() throws Exception {
    TestSink sink = new TestSink();
    SplitSource source = new SplitSource(N, 4).recordsPerPoll(50).idleBetweenPolls(true);
    JobHandle job = start(source, sink, config(dir).withCheckpointInterval(Duration.ofHours(1)));
    assertEquals(JobStatus.State.RUNNING, job.status().state());
    awaitEmitted(source, 2_000);

    job.stopWithCheckpoint();
    JobResult result = job.await();
    // With an hour's interval only the stop's checkpoint (after the start pin) committed: all
    // that was read is in the sink, so the source emitted exactly what was published.
    assertEquals(source.emitted.get(), sink.publishedCount());
    assertEquals(source.emitted.get(), result.recordsWritten());
    assertEquals(JobStatus.State.STOPPED, job.status().state());
    assertNoDuplicates(sink);

    SplitSource again = new SplitSource(N, 4).recordsPerPoll(50).idleBetweenPolls(true);
    TestSink next = new TestSink();
    JobHandle resumed = start(again, next, config(dir).withCheckpointInterval(Duration.ofHours(1)));
    awaitEmitted(again, 500);
    resumed.stopWithCheckpoint();
    resumed.await();
    // The second run read only values the first did not: the union holds each read value once.
    // (Its sink also re-publishes the restored checkpoint, as a restart's re-commit does.)
    java.util.Set<Long> union = new java.util.HashSet<>(sink.publishedSorted());
    union.addAll(next.publishedSorted());
    assertEquals(sink.publishedCount() + again.emitted.get(), union.size());
  }

  @Test
  void aRequestedCheckpointIsTakenWithoutWaitingForTheInterval() throws Exception {
    TestSink sink = new TestSink();
    SplitSource source = new SplitSource(N, 2).recordsPerPoll(10).idleBetweenPolls(true);
    JobHandle job = start(source, sink, config(dir).withCheckpointInterval(Duration.ofHours(1)));
    long first = job.triggerCheckpoint().get(30, TimeUnit.SECONDS);
    long second = job.triggerCheckpoint().get(30, TimeUnit.SECONDS);
    assertTrue(second > first, first + " then " + second);
    assertEquals(second, job.lastCompletedCheckpointId());
    JobStatus.CheckpointStats stats = job.status().lastCheckpoint().orElseThrow();
    assertEquals(second, stats.id());
    assertTrue(stats.records() >= 0 && !stats.duration().isNegative() && !stats.commitDuration().isNegative(),
        stats.toString());
    job.stop();
    job.await();
    CompletableFuture<Long> afterTheEnd = job.triggerCheckpoint();
    assertThrows(ExecutionException.class, () -> afterTheEnd.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aPausedJobReadsNothingButCheckpointsGoOn() throws Exception {
    TestSink sink = new TestSink();
    SplitSource source = new SplitSource(N, 2).recordsPerPoll(10).idleBetweenPolls(true);
    JobHandle job = start(source, sink, config(dir));
    awaitEmitted(source, 200);
    job.pause();
    assertTrue(job.status().paused());
    // Once a checkpoint triggered after the pause committed, the sources have seen it.
    job.triggerCheckpoint().get(30, TimeUnit.SECONDS);
    long emitted = source.emitted.get();
    long committed = job.triggerCheckpoint().get(30, TimeUnit.SECONDS);
    long later = job.triggerCheckpoint().get(30, TimeUnit.SECONDS);
    assertTrue(later > committed);
    assertEquals(emitted, source.emitted.get(), "read while paused");

    job.resume();
    assertFalse(job.status().paused());
    awaitEmitted(source, emitted + 200);
    job.stopWithCheckpoint();
    job.await();
    assertNoDuplicates(sink);
    assertEquals(source.emitted.get(), sink.publishedCount());
  }

  @Test
  void aFailureIsReportedWithTheRestartThatHealedIt() throws Exception {
    TestSink sink = new TestSink();
    sink.failBeforePublish.add(2L);
    SplitSource source = new SplitSource(N, 2).recordsPerPoll(10).idleBetweenPolls(true);
    JobHandle job = start(source, sink, config(dir).withRestarts(1, Duration.ofMillis(10)));
    sink.awaitPublished(s -> s.publishedCheckpoints().stream().anyMatch(id -> id > 2),
        Duration.ofSeconds(30));
    JobStatus status = job.status();
    assertEquals(1, status.restarts());
    assertEquals(JobStatus.State.RUNNING, status.state());
    assertTrue(status.lastFailure().orElseThrow().message().contains("2"), status.toString());
    job.stopWithCheckpoint();
    job.await();
    assertNoDuplicates(sink);
  }

  private static void assertNoDuplicates(TestSink sink) {
    assertEquals(sink.publishedCount(), sink.publishedSorted().stream().distinct().count());
  }

  private static void awaitEmitted(SplitSource source, long atLeast) throws InterruptedException {
    while (source.emitted.get() < atLeast) {
      Thread.sleep(5);
    }
  }
}
