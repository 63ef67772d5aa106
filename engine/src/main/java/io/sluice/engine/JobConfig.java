package io.sluice.engine;

import io.sluice.engine.state.StateBackend;
import io.sluice.engine.state.StateBackends;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a job runs: its stable identity, checkpointing, exchange sizing, restarts and state.
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
 * @param maxParallelism the number of key groups: the most subtasks a keyed operator can ever
 *     have. Fixed at the first start (checkpoints record it), because it decides where each key's
 *     state lives
 * @param stateBackend where keyed state lives
 * @param restoreFrom a savepoint (or retained checkpoint) directory to start from, or null; a
 *     newer checkpoint in the checkpoint directory wins (the savepoint was already applied)
 * @param allowNonRestoredState start even if the restored state has keyed state of operators the
 *     job no longer has (that state is dropped)
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
    Duration restartDelay,
    int maxParallelism,
    StateBackend stateBackend,
    Path restoreFrom,
    boolean allowNonRestoredState) {

  public JobConfig {
    Objects.requireNonNull(pipelineId, "pipelineId");
    Objects.requireNonNull(checkpointDirectory, "checkpointDirectory");
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    Objects.requireNonNull(checkpointTimeout, "checkpointTimeout");
    Objects.requireNonNull(restartDelay, "restartDelay");
    Objects.requireNonNull(stateBackend, "stateBackend");
    if (pipelineId.isBlank()) {
      throw new IllegalArgumentException("pipelineId must not be blank");
    }
    JobOptions.CHECKPOINT_INTERVAL.validate(checkpointInterval);
    JobOptions.CHECKPOINT_TIMEOUT.validate(checkpointTimeout);
    JobOptions.CHECKPOINT_RETAINED.validate(checkpointsRetained);
    JobOptions.EXCHANGE_BATCH_SIZE.validate(exchangeBatchSize);
    JobOptions.EXCHANGE_BUFFERS_PER_CHANNEL.validate(exchangeBuffersPerChannel);
    JobOptions.RESTART_ATTEMPTS.validate(restartAttempts);
    JobOptions.RESTART_DELAY.validate(restartDelay);
    JobOptions.MAX_PARALLELISM.validate(maxParallelism);
  }

  /** A job with the defaults of {@link JobOptions}. */
  public static JobConfig of(String pipelineId, Path checkpointDirectory) {
    return builder(pipelineId, checkpointDirectory).build();
  }

  /** A builder starting from the defaults of {@link JobOptions}. */
  public static Builder builder(String pipelineId, Path checkpointDirectory) {
    return new Builder(pipelineId, checkpointDirectory);
  }

  public JobConfig withCheckpointInterval(Duration interval) {
    return toBuilder().checkpointInterval(interval).build();
  }

  public JobConfig withRestarts(int attempts, Duration delay) {
    return toBuilder().restartAttempts(attempts).restartDelay(delay).build();
  }

  public JobConfig withExchange(int batchSize, int buffersPerChannel) {
    return toBuilder().exchangeBatchSize(batchSize).exchangeBuffersPerChannel(buffersPerChannel)
        .build();
  }

  public JobConfig withStateBackend(StateBackend backend) {
    return toBuilder().stateBackend(backend).build();
  }

  /** Starts from the savepoint (or retained checkpoint) in {@code directory}. */
  public JobConfig withRestoreFrom(Path directory) {
    return toBuilder().restoreFrom(directory).build();
  }

  /** A builder holding this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder(pipelineId, checkpointDirectory);
    b.checkpointInterval = checkpointInterval;
    b.checkpointTimeout = checkpointTimeout;
    b.checkpointsRetained = checkpointsRetained;
    b.exchangeBatchSize = exchangeBatchSize;
    b.exchangeBuffersPerChannel = exchangeBuffersPerChannel;
    b.restartAttempts = restartAttempts;
    b.restartDelay = restartDelay;
    b.maxParallelism = maxParallelism;
    b.stateBackend = stateBackend;
    b.restoreFrom = restoreFrom;
    b.allowNonRestoredState = allowNonRestoredState;
    return b;
  }

  /** Builds a {@link JobConfig}; every setting not given keeps its {@link JobOptions} default. */
  public static final class Builder {
    private final String pipelineId;
    private final Path checkpointDirectory;
    private Duration checkpointInterval = JobOptions.CHECKPOINT_INTERVAL.defaultValue();
    private Duration checkpointTimeout = JobOptions.CHECKPOINT_TIMEOUT.defaultValue();
    private int checkpointsRetained = JobOptions.CHECKPOINT_RETAINED.defaultValue();
    private int exchangeBatchSize = JobOptions.EXCHANGE_BATCH_SIZE.defaultValue();
    private int exchangeBuffersPerChannel = JobOptions.EXCHANGE_BUFFERS_PER_CHANNEL.defaultValue();
    private int restartAttempts = JobOptions.RESTART_ATTEMPTS.defaultValue();
    private Duration restartDelay = JobOptions.RESTART_DELAY.defaultValue();
    private int maxParallelism = JobOptions.MAX_PARALLELISM.defaultValue();
    private StateBackend stateBackend = StateBackends.heap();
    private Path restoreFrom;
    private boolean allowNonRestoredState;

    private Builder(String pipelineId, Path checkpointDirectory) {
      this.pipelineId = pipelineId;
      this.checkpointDirectory = checkpointDirectory;
    }

    public Builder checkpointInterval(Duration interval) {
      this.checkpointInterval = interval;
      return this;
    }

    public Builder checkpointTimeout(Duration timeout) {
      this.checkpointTimeout = timeout;
      return this;
    }

    public Builder checkpointsRetained(int retained) {
      this.checkpointsRetained = retained;
      return this;
    }

    public Builder exchangeBatchSize(int records) {
      this.exchangeBatchSize = records;
      return this;
    }

    public Builder exchangeBuffersPerChannel(int batches) {
      this.exchangeBuffersPerChannel = batches;
      return this;
    }

    public Builder restartAttempts(int attempts) {
      this.restartAttempts = attempts;
      return this;
    }

    public Builder restartDelay(Duration delay) {
      this.restartDelay = delay;
      return this;
    }

    public Builder maxParallelism(int keyGroups) {
      this.maxParallelism = keyGroups;
      return this;
    }

    public Builder stateBackend(StateBackend backend) {
      this.stateBackend = backend;
      return this;
    }

    /** A savepoint (or retained checkpoint) directory to start from; null for none. */
    public Builder restoreFrom(Path directory) {
      this.restoreFrom = directory;
      return this;
    }

    public Builder allowNonRestoredState(boolean allow) {
      this.allowNonRestoredState = allow;
      return this;
    }

    public JobConfig build() {
      return new JobConfig(pipelineId, checkpointDirectory, checkpointInterval, checkpointTimeout,
          checkpointsRetained, exchangeBatchSize, exchangeBuffersPerChannel, restartAttempts,
          restartDelay, maxParallelism, stateBackend, restoreFrom, allowNonRestoredState);
    }
  }
}
