package io.sluice.engine.internal;

import java.nio.file.Path;

/** What an {@link ExecutionAttempt} asks of and reports to the job that runs it. */
interface AttemptListener {

  boolean stopRequested();

  /** The directory of a requested stop-with-savepoint, or null. */
  Path savepointRequested();

  /** The attempt restored checkpoint {@code checkpointId} (-1: a fresh start). */
  void restored(long checkpointId);

  /** Every sink committed checkpoint {@code checkpointId}, which holds {@code records}. */
  void committed(long checkpointId, long records);

  /** The savepoint of a stop-with-savepoint is written. */
  void savepointWritten(Path directory);
}
