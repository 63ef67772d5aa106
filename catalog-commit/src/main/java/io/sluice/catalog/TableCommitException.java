package io.sluice.catalog;

/**
 * A commit failed for a reason that retrying will not fix (for example the committer rejected it
 * as non-retryable, or the table cannot be opened). Nothing was published.
 */
public class TableCommitException extends RuntimeException {
  public TableCommitException(String message) {
    super(message);
  }

  public TableCommitException(String message, Throwable cause) {
    super(message, cause);
  }
}
