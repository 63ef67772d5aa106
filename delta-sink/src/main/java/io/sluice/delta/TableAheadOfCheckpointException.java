package io.sluice.delta;

import io.sluice.engine.UnrecoverableException;

/**
 * The table already holds commits of this pipeline beyond the checkpoint the job starts from (the
 * checkpoint directory was lost, replaced or rolled back). Starting anyway would skip or duplicate
 * data, so the job refuses to start.
 */
public final class TableAheadOfCheckpointException extends UnrecoverableException {
  public TableAheadOfCheckpointException(String message) {
    super(message);
  }
}
