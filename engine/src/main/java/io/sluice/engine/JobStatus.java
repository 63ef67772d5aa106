package io.sluice.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A running job's state as {@link JobHandle#status()} sees it now.
 *
 * @param state where the job is in its life
 * @param paused whether its sources are paused ({@link JobHandle#pause()})
 * @param restarts in-process restarts after failures so far
 * @param lastCheckpoint the newest checkpoint committed while this job ran, if any
 * @param recordsCommitted records covered by committed checkpoints, each counted once
 * @param lastFailure the newest failure of an attempt, healed by a restart or not
 */
public record JobStatus(
    State state,
    boolean paused,
    int restarts,
    Optional<CheckpointStats> lastCheckpoint,
    long recordsCommitted,
    Optional<Failure> lastFailure) {

  /** Where a job is in its life. */
  public enum State {
    /** An attempt is deploying, restoring or processing. */
    RUNNING,
    /** An attempt failed; the next starts after the restart delay. */
    RESTARTING,
    /** A stop with a final checkpoint or a savepoint is under way. */
    STOPPING,
    /** All input was read and committed. */
    FINISHED,
    /** Stopped on request. */
    STOPPED,
    /** Failed with no restart left, or with a failure a restart cannot heal. */
    FAILED
  }

  /**
   * A committed checkpoint.
   *
   * @param id the checkpoint id
   * @param completedAt when its state was durable
   * @param duration from its trigger until its state was durable
   * @param commitDuration from then until every sink committed it
   * @param stateBytes the keyed state it refers to (shared incremental files included)
   * @param writtenBytes the keyed state written for it
   * @param records records it committed
   */
  public record CheckpointStats(
      long id,
      Instant completedAt,
      Duration duration,
      Duration commitDuration,
      long stateBytes,
      long writtenBytes,
      long records) {}

  /** An attempt's failure: when, and the message of its cause. */
  public record Failure(Instant at, String message) {}
}
