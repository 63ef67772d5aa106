package io.sluice.service.internal.serve;

import java.time.Duration;

/**
 * How {@code sluice serve} supervises its pipelines.
 *
 * @param stopTimeout how long a stop waits for a pipeline's final checkpoint before cancelling
 * @param maxFailures failures in a row after which a pipeline stays failed
 * @param firstBackoff the wait before the first restart; it doubles with each failure in a row
 * @param maxBackoff the longest wait between two restarts
 * @param scanInterval how often the pipeline directory is scanned for changed files
 */
public record ServeOptions(Duration stopTimeout, int maxFailures, Duration firstBackoff,
    Duration maxBackoff, Duration scanInterval) {

  /** The wait before the restart after {@code failures} failures in a row. */
  Duration backoff(int failures) {
    Duration wait = firstBackoff;
    for (int i = 1; i < failures && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
