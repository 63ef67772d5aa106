package io.sluice.catalogserver.internal;

/** A request the catalog answers with an error status and Unity Catalog's error body. */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String errorCode;

  public ApiError(int status, String errorCode, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  static ApiError invalid(String message) {
    return new ApiError(400, "INVALID_ARGUMENT", message);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, "NOT_FOUND", message);
  }

  static ApiError alreadyExists(String message) {
    return new ApiError(409, "ALREADY_EXISTS", message);
  }

  public int status() {
    return status;
  }

  public String errorCode() {
    return errorCode;
  }
}
