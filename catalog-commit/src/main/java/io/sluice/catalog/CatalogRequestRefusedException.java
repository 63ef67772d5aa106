package io.sluice.catalog;

/**
 * The catalog refused a request for a reason a retry cannot fix: authentication or authorization
 * (HTTP 401/403), an invalid request (400), a table or namespace it does not know (404), or a
 * table to create that already exists (409). Nothing was committed.
 */
public final class CatalogRequestRefusedException extends TableCommitException {
  private final int httpStatus;

  public CatalogRequestRefusedException(int httpStatus, String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
  }

  /** The catalog's HTTP status code. */
  public int httpStatus() {
    return httpStatus;
  }
}
