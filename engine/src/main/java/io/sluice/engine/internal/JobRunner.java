package io.sluice.engine.internal;

import io.sluice.engine.JobConfig;
import io.sluice.engine.JobFailedException;
import io.sluice.engine.JobHandle;
import io.sluice.engine.JobResult;
import io.sluice.engine.internal.checkpoint.CheckpointStorage;
import io.sluice.engine.internal.graph.JobGraph;
import java.io.Closeable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job: one {@link ExecutionAttempt} after another (the first, then restarts from the
 * latest completed checkpoint) on a coordinator thread, until the job finishes, is stopped, or
 * fails with no restart attempts left.
 */
public final class JobRunner implements JobHandle {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final JobGraph graph;
  private final JobConfig config;
  private final CheckpointStorage storage;
  private final CompletableFuture<JobResult> result = new CompletableFuture<>();
  private final CountDownLatch stopLatch = new CountDownLatch(1);
  private final AtomicLong recordsWritten = new AtomicLong();
  private volatile boolean stopRequested;
  private volatile ExecutionAttempt current;
  private volatile long lastCompletedCheckpointId = -1;
  /** The newest checkpoint whose records are in {@link #recordsWritten} (coordinator thread). */
  private long countedUpTo = Long.MIN_VALUE;

  public JobRunner(JobGraph graph, JobConfig config) {
    this.graph = graph;
    this.config = config;
    this.storage = new CheckpointStorage(config.checkpointDirectory());
  }

  /**
   * Takes the checkpoint directory's lock in the caller's thread, so that a job whose start
   * returned owns its directory (of two racing starts, the one that returned first runs), then
   * runs the job on a coordinator thread, which releases the lock when the job ends.
   */
  public void start() {
    Closeable exclusive;
    try {
      exclusive = storage.lockExclusive(config.pipelineId());
    } catch (Throwable t) {
      LOG.error("job {} cannot start", config.pipelineId(), t);
      result.completeExceptionally(
          new JobFailedException("job " + config.pipelineId() + " failed: " + t, t));
      return;
    }
    Thread coordinator =
        new Thread(() -> runJob(exclusive), "sluice-" + config.pipelineId() + "-coordinator");
    coordinator.start();
  }

  JobGraph graph() {
    return graph;
  }

  JobConfig config() {
    return config;
  }

  CheckpointStorage storage() {
    return storage;
  }

  boolean stopRequested() {
    return stopRequested;
  }

  /**
   * The attempt restored (and re-committed) checkpoint {@code checkpointId}. If this job completed
   * it only now (its commit had failed in an earlier attempt), its records are counted now; the
   * checkpoint a job starts from was counted by the run that wrote it.
   */
  void checkpointRestored(long checkpointId, long records) {
    if (countedUpTo == Long.MIN_VALUE) {
      countedUpTo = checkpointId;
    } else if (checkpointId > countedUpTo) {
      recordsWritten.addAndGet(records);
      countedUpTo = checkpointId;
    }
    if (checkpointId > lastCompletedCheckpointId) {
      lastCompletedCheckpointId = checkpointId;
    }
  }

  void checkpointCompleted(long checkpointId, long records) {
    recordsWritten.addAndGet(records);
    countedUpTo = checkpointId;
    lastCompletedCheckpointId = checkpointId;
  }

  @Override
  public JobResult await() throws JobFailedException, InterruptedException {
    try {
      return result.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof JobFailedException failed) {
        throw new JobFailedException(failed.getMessage(), failed.getCause());
      }
      throw new JobFailedException("job " + config.pipelineId() + " failed: " + cause, cause);
    }
  }

  @Override
  public boolean isRunning() {
    return !result.isDone();
  }

  @Override
  public void stop() {
    stopRequested = true;
    stopLatch.countDown();
    ExecutionAttempt attempt = current;
    if (attempt != null) {
      attempt.requestStop();
    }
  }

  @Override
  public long lastCompletedCheckpointId() {
    return lastCompletedCheckpointId;
  }

  private JobResult currentResult() {
    return new JobResult(lastCompletedCheckpointId, recordsWritten.get());
  }

  private void runJob(Closeable exclusive) {
    CompletableFuture<JobResult> ended = new CompletableFuture<>();
    runAttempts(ended, exclusive);
    // Only now, with the checkpoint directory unlocked, may a caller of await() start its successor.
    ended.whenComplete((r, e) -> {
      if (e == null) {
        result.complete(r);
      } else {
        result.completeExceptionally(e);
      }
    });
  }

  /** Runs attempts until the job ends, then releases the checkpoint directory's lock. */
  private void runAttempts(CompletableFuture<JobResult> ended, Closeable exclusive) {
    int restarts = 0;
    try (exclusive) {
      while (true) {
        if (stopRequested) {
          LOG.info("job {} stopped", config.pipelineId());
          ended.complete(currentResult());
          return;
        }
        ExecutionAttempt attempt = new ExecutionAttempt(this, restarts);
        current = attempt;
        ExecutionAttempt.Outcome outcome = attempt.run();
        current = null;
        if (outcome instanceof ExecutionAttempt.Outcome.Finished) {
          LOG.info(
              "job {} finished: last checkpoint {}, {} records written",
              config.pipelineId(),
              lastCompletedCheckpointId,
              recordsWritten.get());
          ended.complete(currentResult());
          return;
        }
        if (outcome instanceof ExecutionAttempt.Outcome.Stopped || stopRequested) {
          LOG.info("job {} stopped", config.pipelineId());
          ended.complete(currentResult());
          return;
        }
        ExecutionAttempt.Outcome.Failed failed = (ExecutionAttempt.Outcome.Failed) outcome;
        Throwable cause = failed.cause();
        if (!failed.restartable() || restarts >= config.restartAttempts()) {
          String msg =
              "job " + config.pipelineId() + " failed"
                  + (restarts > 0 ? " after " + restarts + " restart(s)" : "")
                  + ": " + cause;
          LOG.error(msg, cause);
          ended.completeExceptionally(new JobFailedException(msg, cause));
          return;
        }
        restarts++;
        LOG.warn(
            "job {} failed, restarting from the latest checkpoint in {} (restart {} of {}): {}",
            config.pipelineId(),
            config.restartDelay(),
            restarts,
            config.restartAttempts(),
            cause.toString(),
            cause);
        if (stopLatch.await(config.restartDelay().toNanos(), TimeUnit.NANOSECONDS)) {
          LOG.info("job {} stopped", config.pipelineId());
          ended.complete(currentResult());
          return;
        }
      }
    } catch (Throwable t) {
      LOG.error("job {} coordinator failed", config.pipelineId(), t);
      ended.completeExceptionally(
          new JobFailedException("job " + config.pipelineId() + " failed: " + t, t));
    }
  }
}
