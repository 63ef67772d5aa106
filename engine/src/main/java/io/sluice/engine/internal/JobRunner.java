package io.sluice.engine.internal;

import io.sluice.engine.JobConfig;
import io.sluice.engine.JobFailedException;
import io.sluice.engine.JobHandle;
import io.sluice.engine.JobResult;
import io.sluice.engine.JobStatus;
import io.sluice.engine.internal.checkpoint.CheckpointStorage;
import io.sluice.engine.internal.checkpoint.Savepoints;
import io.sluice.engine.internal.graph.JobGraph;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job: one {@link ExecutionAttempt} after another (the first, then restarts from the
 * latest completed checkpoint) on a coordinator thread, until the job finishes, is stopped, or
 * fails with no restart attempts left.
 */
public final class JobRunner implements JobHandle, AttemptListener {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final JobContext job;
  private final CompletableFuture<JobResult> result = new CompletableFuture<>();
  private final CountDownLatch stopLatch = new CountDownLatch(1);
  private volatile boolean stopRequested;
  private volatile boolean finalCheckpointRequested;
  private volatile boolean pauseRequested;
  private volatile Path savepointRequested;
  private volatile JobStatus.State state = JobStatus.State.RUNNING;
  private volatile int restarts;
  private volatile JobStatus.CheckpointStats lastCheckpoint;
  private volatile JobStatus.Failure lastFailure;
  /** Requests of {@link #triggerCheckpoint()} no checkpoint answered yet (guarded by itself). */
  private final List<CompletableFuture<Long>> checkpointRequests = new ArrayList<>();
  /** Requests answered by a triggered checkpoint, by its id, until one at least as new commits. */
  private final TreeMap<Long, List<CompletableFuture<Long>>> checkpointsAwaited = new TreeMap<>();
  private volatile Path savepointWritten;
  private volatile ExecutionAttempt current;
  private volatile long lastCompletedCheckpointId = -1;
  /** Records of committed checkpoints up to {@link #countedUpTo} (coordinator thread writes). */
  private volatile long recordsWritten;
  private long countedUpTo = Long.MIN_VALUE;

  public JobRunner(JobGraph graph, JobConfig config) {
    this.job = new JobContext(graph, config, new CheckpointStorage(config.checkpointDirectory()));
  }

  /**
   * Takes the checkpoint directory's lock in the caller's thread, so that a job whose start
   * returned owns its directory (of two racing starts, the one that returned first runs), then
   * runs the job on a coordinator thread, which releases the lock when the job ends.
   */
  public void start() {
    String id = job.config().pipelineId();
    Closeable exclusive;
    try {
      exclusive = job.storage().lockExclusive(id);
    } catch (Throwable t) {
      LOG.error("job {} cannot start", id, t);
      state = JobStatus.State.FAILED;
      result.completeExceptionally(new JobFailedException("job " + id + " failed: " + t, t));
      return;
    }
    Thread coordinator = new Thread(() -> runJob(exclusive), "sluice-" + id + "-coordinator");
    coordinator.start();
  }

  // ---- AttemptListener (coordinator thread) ----

  @Override
  public boolean stopRequested() {
    return stopRequested;
  }

  @Override
  public boolean finalCheckpointRequested() {
    return finalCheckpointRequested;
  }

  @Override
  public Path savepointRequested() {
    return savepointRequested;
  }

  @Override
  public boolean checkpointRequested() {
    synchronized (checkpointRequests) {
      return !checkpointRequests.isEmpty();
    }
  }

  @Override
  public void checkpointTriggered(long checkpointId) {
    synchronized (checkpointRequests) {
      if (!checkpointRequests.isEmpty()) {
        checkpointsAwaited.put(checkpointId, new ArrayList<>(checkpointRequests));
        checkpointRequests.clear();
      }
    }
  }

  @Override
  public boolean pauseRequested() {
    return pauseRequested;
  }

  @Override
  public void restored(long checkpointId) {
    if (countedUpTo == Long.MIN_VALUE) {
      countedUpTo = checkpointId; // its records were counted by the run that wrote it
    }
    lastCompletedCheckpointId = Math.max(lastCompletedCheckpointId, checkpointId);
  }

  /** Counts each checkpoint's records once, also when a restart re-commits it. */
  @Override
  public void committed(
      long checkpointId, long records, Optional<JobStatus.CheckpointStats> stats) {
    if (checkpointId > countedUpTo) {
      recordsWritten += records;
      countedUpTo = checkpointId;
    }
    lastCompletedCheckpointId = Math.max(lastCompletedCheckpointId, checkpointId);
    stats.ifPresent(s -> lastCheckpoint = s);
    synchronized (checkpointRequests) {
      Map<Long, List<CompletableFuture<Long>>> answered = checkpointsAwaited.headMap(checkpointId, true);
      answered.values().forEach(futures -> futures.forEach(f -> f.complete(checkpointId)));
      answered.clear();
    }
  }

  @Override
  public void savepointWritten(Path directory) {
    savepointWritten = directory;
  }

  // ---- JobHandle ----

  @Override
  public JobResult await() throws JobFailedException, InterruptedException {
    try {
      return result.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof JobFailedException failed) {
        throw new JobFailedException(failed.getMessage(), failed.getCause());
      }
      String id = job.config().pipelineId();
      throw new JobFailedException("job " + id + " failed: " + cause, cause);
    }
  }

  @Override
  public boolean isRunning() {
    return !result.isDone();
  }

  @Override
  public boolean awaitEnd(java.time.Duration timeout) throws InterruptedException {
    try {
      result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException failed) {
      // ended: await() reports how
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    }
    return true;
  }

  @Override
  public void stop() {
    stopRequested = true;
    stopLatch.countDown();
    wakeUp();
  }

  @Override
  public void stopWithSavepoint(Path directory) {
    Objects.requireNonNull(directory, "directory");
    Savepoints.requireUsableTarget(directory);
    savepointRequested = directory.toAbsolutePath();
    stopWithCheckpoint();
  }

  @Override
  public void stopWithCheckpoint() {
    finalCheckpointRequested = true;
    if (isRunning()) {
      state = JobStatus.State.STOPPING;
    }
    stopLatch.countDown(); // ends a wait to restart: there is nothing to checkpoint then
    wakeUp();
  }

  @Override
  public CompletableFuture<Long> triggerCheckpoint() {
    CompletableFuture<Long> checkpoint = new CompletableFuture<>();
    synchronized (checkpointRequests) {
      checkpointRequests.add(checkpoint);
    }
    wakeUp();
    if (!isRunning()) {
      failCheckpointRequests();
    }
    return checkpoint;
  }

  @Override
  public void pause() {
    pauseRequested = true;
    wakeUp();
  }

  @Override
  public void resume() {
    pauseRequested = false;
    wakeUp();
  }

  @Override
  public JobStatus status() {
    return new JobStatus(
        state,
        pauseRequested,
        restarts,
        Optional.ofNullable(lastCheckpoint),
        recordsWritten,
        Optional.ofNullable(lastFailure));
  }

  private void failCheckpointRequests() {
    List<CompletableFuture<Long>> unanswered = new ArrayList<>();
    synchronized (checkpointRequests) {
      unanswered.addAll(checkpointRequests);
      checkpointRequests.clear();
      checkpointsAwaited.values().forEach(unanswered::addAll);
      checkpointsAwaited.clear();
    }
    IllegalStateException ended =
        new IllegalStateException("job " + job.config().pipelineId() + " ended before a checkpoint");
    unanswered.forEach(f -> f.completeExceptionally(ended));
  }

  @Override
  public long lastCompletedCheckpointId() {
    return lastCompletedCheckpointId;
  }

  private void wakeUp() {
    ExecutionAttempt attempt = current;
    if (attempt != null) {
      attempt.wakeUp();
    }
  }

  private JobResult currentResult() {
    return new JobResult(lastCompletedCheckpointId, recordsWritten, savepointWritten);
  }

  private void runJob(Closeable exclusive) {
    CompletableFuture<JobResult> ended = new CompletableFuture<>();
    try {
      runAttempts(ended);
    } finally {
      try {
        exclusive.close();
      } catch (Exception e) {
        LOG.warn("could not release the lock of {}", job.storage().directory(), e);
      }
    }
    // Only now, with the checkpoint directory unlocked, may a caller of await() start its successor.
    ended.whenComplete(
        (r, e) -> {
          failCheckpointRequests();
          if (e == null) {
            result.complete(r);
          } else {
            result.completeExceptionally(e);
          }
        });
  }

  /** Runs attempts until the job ends. */
  private void runAttempts(CompletableFuture<JobResult> ended) {
    JobConfig config = job.config();
    String id = config.pipelineId();
    try {
      while (true) {
        if (stopRequested) {
          LOG.info("job {} stopped", id);
          state = JobStatus.State.STOPPED;
          ended.complete(currentResult());
          return;
        }
        ExecutionAttempt attempt = new ExecutionAttempt(job, this, restarts);
        current = attempt;
        if (!finalCheckpointRequested) {
          state = JobStatus.State.RUNNING;
        }
        ExecutionAttempt.Outcome outcome = attempt.run();
        current = null;
        if (outcome instanceof ExecutionAttempt.Outcome.Finished) {
          state = finalCheckpointRequested ? JobStatus.State.STOPPED : JobStatus.State.FINISHED;
          if (savepointWritten != null) {
            LOG.info("job {} stopped with a savepoint in {}", id, savepointWritten);
          } else if (finalCheckpointRequested) {
            LOG.info("job {} stopped with a final checkpoint {}", id, lastCompletedCheckpointId);
          } else {
            LOG.info(
                "job {} finished: last checkpoint {}, {} records written",
                id, lastCompletedCheckpointId, recordsWritten);
          }
          ended.complete(currentResult());
          return;
        }
        if (outcome instanceof ExecutionAttempt.Outcome.Stopped || stopRequested) {
          LOG.info("job {} stopped", id);
          state = JobStatus.State.STOPPED;
          ended.complete(currentResult());
          return;
        }
        ExecutionAttempt.Outcome.Failed failed = (ExecutionAttempt.Outcome.Failed) outcome;
        Throwable cause = failed.cause();
        lastFailure = new JobStatus.Failure(Instant.now(), String.valueOf(cause));
        if (!failed.restartable() || restarts >= config.restartAttempts()) {
          state = JobStatus.State.FAILED;
          String msg =
              "job " + id + " failed"
                  + (restarts > 0 ? " after " + restarts + " restart(s)" : "")
                  + ": " + cause;
          LOG.error(msg, cause);
          ended.completeExceptionally(new JobFailedException(msg, cause));
          return;
        }
        restarts++;
        state = JobStatus.State.RESTARTING;
        LOG.warn(
            "job {} failed, restarting from the latest checkpoint in {} (restart {} of {}): {}",
            id, config.restartDelay(), restarts, config.restartAttempts(), cause.toString(), cause);
        if (stopLatch.await(config.restartDelay().toNanos(), TimeUnit.NANOSECONDS)) {
          LOG.info("job {} stopped", id);
          state = JobStatus.State.STOPPED;
          ended.complete(currentResult());
          return;
        }
      }
    } catch (Throwable t) {
      state = JobStatus.State.FAILED;
      LOG.error("job {} coordinator failed", id, t);
      ended.completeExceptionally(new JobFailedException("job " + id + " failed: " + t, t));
    }
  }
}
