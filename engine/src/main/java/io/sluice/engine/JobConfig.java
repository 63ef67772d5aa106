package io.sluice.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a job runs: its stable identity, checkpointing and exchange sizing.
 *
 * @param pipelineId stable id chosen by the user; names the checkpoint directory and must survive
 *     restarts, because sinks derive their idempotence keys from it
 * @param checkpointDirectory where completed checkpoints are kept (a sub-directory per pipeline is
 *     not added: give each pipeline its own directory)
 * @param checkpointInterval time between the starts of two checkpoints
 * @param checkpointTimeout a checkpoint not complete after this long fails the job
 * @param checkpointsRetained how many completed checkpoints to keep on disk (at least 1)
 * @param exchangeBatchSize records per batch sent between tasks
 * @param exchangeBuffersPerChannel batches a channel holds before its producer blocks
 *     (backpressure)
 * @param restartAttempts how often a failed job is restarted in-process from its latest
 *     checkpoint before the failure is reported
 * @param restartDelay pause before each restart
 */
public record JobConfig(
    String pipelineId,
    Path checkpointDirectory,
    Duration checkpointInterval,
    Duration checkpointTimeout,
    int checkpointsRetained,
    int exchangeBatchSize,
    int exchangeBuffersPerChannel,
    int restartAttempts,
    Duration restartDelay) {

  public JobConfig {
    Objects.requireNonNull(pipelineId, "pipelineId");
    Objects.requireNonNull(checkpointDirectory, "checkpointDirectory");
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    Objects.requireNonNull(checkpointTimeout, "checkpointTimeout");
    Objects.requireNonNull(restartDelay, "restartDelay");
    if (pipelineId.isBlank()) {
      throw new IllegalArgumentException("pipelineId must not be blank");
    }
    requirePositive(checkpointInterval, "checkpointInterval");
    requirePositive(checkpointTimeout, "checkpointTimeout");
    if (checkpointsRetained < 1) {
      throw new IllegalArgumentException("checkpointsRetained must be at least 1");
    }
    if (exchangeBatchSize < 1 || exchangeBuffersPerChannel < 1) {
      throw new IllegalArgumentException("exchange batch size and buffers must be at least 1");
    }
    if (restartAttempts < 0) {
      throw new IllegalArgumentException("restartAttempts must not be negative");
    }
  }

  /** Defaults: checkpoint every 10 s, 10 min timeout, keep 3, batches of 1024, 8 per channel. */
  public static JobConfig of(String pipelineId, Path checkpointDirectory) {
    return new JobConfig(
        pipelineId,
        checkpointDirectory,
        Duration.ofSeconds(10),
        Duration.ofMinutes(10),
        3,
        1024,
        8,
        0,
        Duration.ofSeconds(1));
  }

  public JobConfig withCheckpointInterval(Duration interval) {
    return new JobConfig(pipelineId, checkpointDirectory, interval, checkpointTimeout,
        checkpointsRetained, exchangeBatchSize, exchangeBuffersPerChannel, restartAttempts,
        restartDelay);
  }

  public JobConfig withRestarts(int attempts, Duration delay) {
    return new JobConfig(pipelineId, checkpointDirectory, checkpointInterval, checkpointTimeout,
        checkpointsRetained, exchangeBatchSize, exchangeBuffersPerChannel, attempts, delay);
  }

  public JobConfig withExchange(int batchSize, int buffersPerChannel) {
    return new JobConfig(pipelineId, checkpointDirectory, checkpointInterval, checkpointTimeout,
        checkpointsRetained, batchSize, buffersPerChannel, restartAttempts, restartDelay);
  }

  private static void requirePositive(Duration d, String name) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
