package io.sluice.engine;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** A running job, started by {@link StreamEnvironment#start()}. */
public interface JobHandle {

  /**
   * Waits until the job finished (all sources bounded and done, final checkpoint committed), was
   * stopped, or failed for good.
   *
   * @throws JobFailedException if the job failed and no restart attempts remained
   */
  JobResult await() throws JobFailedException, InterruptedException;

  /** True until the job finished, stopped or failed for good (also while waiting to restart). */
  boolean isRunning();

  /**
   * Waits up to {@code timeout} for the job to end (finished, stopped or failed for good).
   *
   * @return whether it ended
   */
  boolean awaitEnd(java.time.Duration timeout) throws InterruptedException;

  /**
   * Cancels the job now, without a final checkpoint: work after the last completed checkpoint is
   * not committed and is replayed when the pipeline starts again from its checkpoint directory.
   * Returns at once; {@link #await()} returns once all tasks are cancelled.
   */
  void stop();

  /**
   * Stops the job with a savepoint: takes a last checkpoint after which the sources read nothing,
   * commits it, writes it as a savepoint into {@code directory} (which must not exist or be
   * empty), then ends the job. Returns at once; {@link #await()} returns the result with the
   * savepoint, or throws if it could not be taken. Start from it with {@link
   * JobConfig#withRestoreFrom}.
   *
   * @throws IllegalArgumentException if {@code directory} exists and is not an empty directory
   */
  void stopWithSavepoint(Path directory);

  /**
   * Stops the job with a final checkpoint: takes a last checkpoint after which the sources read
   * nothing, commits it, then ends the job, so that a start from the checkpoint directory re-reads
   * nothing. Returns at once; {@link #await()} returns when the job ended. A job waiting to restart
   * after a failure stops at once (its work after the last checkpoint was lost with the attempt).
   */
  void stopWithCheckpoint();

  /**
   * Takes a checkpoint as soon as none is in flight, without waiting for the interval.
   *
   * @return completes with the id of a checkpoint triggered after this call once it is committed,
   *     or exceptionally if the job ends first
   */
  CompletableFuture<Long> triggerCheckpoint();

  /**
   * Pauses the sources: they read nothing until {@link #resume()}, while checkpoints go on (a
   * paused job can be checkpointed, stopped or stopped with a savepoint). Lasts across restarts.
   */
  void pause();

  /** Resumes the sources after {@link #pause()}. */
  void resume();

  /** The job's state now. */
  JobStatus status();

  /** The newest committed checkpoint (including the one restored from), or -1 before the first. */
  long lastCompletedCheckpointId();
}
