package io.sluice.engine;

/** A running job, started by {@link StreamEnvironment#start()}. */
public interface JobHandle {

  /**
   * Waits until the job finished (all sources bounded and done, final checkpoint committed), was
   * stopped with {@link #stop()}, or failed for good.
   *
   * @throws JobFailedException if the job failed and no restart attempts remained
   */
  JobResult await() throws JobFailedException, InterruptedException;

  /** True until the job finished, stopped or failed for good (also while waiting to restart). */
  boolean isRunning();

  /**
   * Cancels the job now, without a final checkpoint: work after the last completed checkpoint is
   * not committed and is replayed when the pipeline starts again from its checkpoint directory.
   * Returns at once; {@link #await()} returns once all tasks are cancelled.
   */
  void stop();

  /** The newest completed checkpoint (including the one restored from), or -1 before the first. */
  long lastCompletedCheckpointId();
}
