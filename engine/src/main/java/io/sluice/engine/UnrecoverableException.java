package io.sluice.engine;

/**
 * A failure that a restart from the latest checkpoint would only repeat (a malformed record, a
 * corrupt checkpoint, a table ahead of its checkpoint). Thrown by a source, sink or function, or
 * found anywhere in the cause chain of a failure, it fails the job at once, whatever restart
 * attempts remain.
 */
public class UnrecoverableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnrecoverableException(String message) {
    super(message);
  }

  public UnrecoverableException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether {@code failure} is, or was caused by, an {@code UnrecoverableException}. */
  public static boolean isCauseOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnrecoverableException) {
        return true;
      }
    }
    return false;
  }
}
