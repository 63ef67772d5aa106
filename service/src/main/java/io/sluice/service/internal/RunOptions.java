package io.sluice.service.internal;

import io.sluice.engine.config.ConfigOption;
import io.sluice.engine.config.OptionType;
import io.sluice.engine.config.Validator;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How one run of a pipeline starts, from the command line rather than the pipeline file.
 *
 * @param fromSavepoint a savepoint (or retained checkpoint) directory to start from, or null
 * @param savepointOnStop where to write a savepoint when the run is asked to stop, or null (stop
 *     without one)
 * @param allowNonRestoredState drop restored keyed state of transforms the pipeline no longer has
 * @param progressInterval time between two progress lines
 * @param stopTimeout how long a stop waits for the final checkpoint and commit before it cancels
 */
public record RunOptions(Path fromSavepoint, Path savepointOnStop, boolean allowNonRestoredState,
    Duration progressInterval, Duration stopTimeout) {
  /** {@code sluice run --progress-interval}. */
  public static final ConfigOption<Duration> PROGRESS_INTERVAL =
      ConfigOption.key("progress-interval", OptionType.duration())
          .defaultValue(Duration.ofSeconds(10))
          .validate(Validator.longerThanZero())
          .doc("time between two progress lines");

  /** {@code sluice run --stop-timeout}, {@code sluice serve --stop-timeout}. */
  public static final ConfigOption<Duration> STOP_TIMEOUT =
      ConfigOption.key("stop-timeout", OptionType.duration())
          .defaultValue(Duration.ofSeconds(60))
          .validate(Validator.longerThanZero())
          .doc("how long a stop waits for the final checkpoint and its commit; after it the "
              + "pipeline is cancelled and its data after the last checkpoint is re-read on the "
              + "next start");

  public static final RunOptions NONE = new RunOptions(
      null, null, false, PROGRESS_INTERVAL.defaultValue(), STOP_TIMEOUT.defaultValue());
}
