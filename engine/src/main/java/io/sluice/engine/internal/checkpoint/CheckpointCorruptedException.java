package io.sluice.engine.internal.checkpoint;

import io.sluice.engine.UnrecoverableException;

/** A completed checkpoint's metadata file cannot be read. Restarting does not help. */
public final class CheckpointCorruptedException extends UnrecoverableException {
  private static final long serialVersionUID = 1L;

  public CheckpointCorruptedException(String message, Throwable cause) {
    super(message, cause);
  }
}
