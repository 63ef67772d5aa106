package io.sluice.engine;

/** A job failed and used up its restart attempts; {@link #getCause()} is the root cause. */
public class JobFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  public JobFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
