package io.sluice.catalog;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link TableCommitClient#commitWithRetries} retries a commit whose outcome was a retryable
 * conflict or an unknown state: at most {@code maxAttempts} attempts, waiting {@code
 * initialBackoff} after the first and doubling the wait up to {@code maxBackoff}.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= initialBackoff <= maxBackoff: " + initialBackoff + ", " + maxBackoff);
    }
  }

  /** {@code maxAttempts} attempts, backoff doubling from {@code initialBackoff} up to 30 times it. */
  public static RetryPolicy exponential(int maxAttempts, Duration initialBackoff) {
    return new RetryPolicy(maxAttempts, initialBackoff, initialBackoff.multipliedBy(30));
  }

  /** The wait after {@code current}. */
  public Duration next(Duration current) {
    Duration doubled = current.multipliedBy(2);
    return doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
  }
}
