package io.sluice.engine;

import io.sluice.engine.config.ConfigOption;
import io.sluice.engine.config.OptionType;
import io.sluice.engine.config.Validator;
import io.sluice.engine.internal.state.KeyGroups;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The options of a job ({@link JobConfig}): checkpoints, restarts and exchanges between tasks. */
public final class JobOptions {
  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      ConfigOption.key("checkpoint.interval", OptionType.duration())
          .defaultValue(Duration.ofSeconds(10))
          .validate(Validator.longerThanZero())
          .doc("time between the starts of two checkpoints; sinks publish once per completed "
              + "checkpoint (the Delta sink: one commit), so this is the output's freshness");

  public static final ConfigOption<Path> CHECKPOINT_DIR =
      ConfigOption.key("checkpoint.dir", OptionType.path())
          .required()
          .doc("where checkpoints are kept; one directory per pipeline (a second job started on "
              + "it is refused)");

  public static final ConfigOption<Duration> CHECKPOINT_TIMEOUT =
      ConfigOption.key("checkpoint.timeout", OptionType.duration())
          .defaultValue(Duration.ofMinutes(10))
          .validate(Validator.longerThanZero())
          .doc("a checkpoint not completed by then fails the job (which restarts from the last "
              + "completed one)");

  public static final ConfigOption<Integer> CHECKPOINT_RETAINED =
      ConfigOption.key("checkpoint.retained", OptionType.integer())
          .defaultValue(3)
          .validate(Validator.atLeast(1))
          .doc("completed checkpoints kept on disk");

  public static final ConfigOption<Integer> RESTART_ATTEMPTS =
      ConfigOption.key("restart.attempts", OptionType.integer())
          .defaultValue(3)
          .validate(Validator.atLeast(0))
          .doc("in-process restarts from the latest checkpoint after a failure, before the job "
              + "fails");

  public static final ConfigOption<Duration> RESTART_DELAY =
      ConfigOption.key("restart.delay", OptionType.duration())
          .defaultValue(Duration.ofSeconds(5))
          .validate(Validator.atLeast(Duration.ZERO))
          .doc("pause before each restart");

  public static final ConfigOption<Integer> EXCHANGE_BATCH_SIZE =
      ConfigOption.key("exchange.batch-size", OptionType.integer())
          .defaultValue(1024)
          .validate(Validator.atLeast(1))
          .doc("records per batch sent from one task to the next");

  public static final ConfigOption<Integer> EXCHANGE_BUFFERS_PER_CHANNEL =
      ConfigOption.key("exchange.buffers-per-channel", OptionType.integer())
          .defaultValue(8)
          .validate(Validator.atLeast(1))
          .doc("batches a channel between two tasks holds before its producer blocks "
              + "(backpressure)");

  public static final ConfigOption<Integer> MAX_PARALLELISM =
      ConfigOption.key("state.max-parallelism", OptionType.integer())
          .defaultValue(KeyGroups.DEFAULT_MAX_PARALLELISM)
          .validate(Validator.between(1, KeyGroups.UPPER_BOUND_MAX_PARALLELISM))
          .doc("key groups: keyed state is split into this many groups, the unit in which it moves"
              + " when a pipeline is rescaled, so it bounds the parallelism of keyed operators."
              + " Fixed when the pipeline first starts: checkpoints and savepoints keep it");

  /** Every option above, in the order of the docs. */
  public static final List<ConfigOption<?>> ALL = List.of(
      CHECKPOINT_INTERVAL, CHECKPOINT_DIR, CHECKPOINT_TIMEOUT, CHECKPOINT_RETAINED,
      RESTART_ATTEMPTS, RESTART_DELAY, EXCHANGE_BATCH_SIZE, EXCHANGE_BUFFERS_PER_CHANNEL,
      MAX_PARALLELISM);

  private JobOptions() {}
}
