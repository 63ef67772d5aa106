package io.sluice.engine.internal;

import io.sluice.engine.JobStatus;
import java.nio.file.Path;
import java.util.Optional;

/** What an {@link ExecutionAttempt} asks of and reports to the job that runs it. */
interface AttemptListener {

  /** Cancel now, without a final checkpoint. */
  boolean stopRequested();

  /** End with a final checkpoint (a stop with a checkpoint or with a savepoint). */
  boolean finalCheckpointRequested();

  /** The directory of a requested stop-with-savepoint, or null. */
  Path savepointRequested();

  /** A checkpoint is wanted now, without waiting for the interval. */
  boolean checkpointRequested();

  /** Checkpoint {@code checkpointId} was triggered; it answers the requests made before. */
  void checkpointTriggered(long checkpointId);

  /** The sources should read nothing for now. */
  boolean pauseRequested();

  /** The attempt restored checkpoint {@code checkpointId} (-1: a fresh start). */
  void restored(long checkpointId);

  /**
   * Every sink committed checkpoint {@code checkpointId}, which holds {@code records}; with its
   * statistics when this attempt took it (not when it re-commits a restored one).
   */
  void committed(long checkpointId, long records, Optional<JobStatus.CheckpointStats> stats);

  /** The savepoint of a stop-with-savepoint is written. */
  void savepointWritten(Path directory);
}
