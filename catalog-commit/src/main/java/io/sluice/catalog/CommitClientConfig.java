package io.sluice.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a {@link TableCommitClient}.
 *
 * @param hadoopConfiguration Hadoop configuration entries applied on top of the defaults (file
 *     system credentials, {@code io.delta.kernel.logStore.<scheme>.impl}, ...)
 * @param checkpointInterval write a Delta log checkpoint when a commit of this client lands on a
 *     version divisible by this number (Spark's default is 10); 0 disables checkpoints
 * @param engineInfo the engine name recorded in {@code commitInfo.engineInfo}
 * @param maxConflictRebases how many times Kernel may rebase one commit over concurrent commits
 *     before giving up with {@link CommitOutcome.ConflictRetryable}
 */
public record CommitClientConfig(
    Map<String, String> hadoopConfiguration,
    int checkpointInterval,
    String engineInfo,
    int maxConflictRebases) {

  public static final int DEFAULT_CHECKPOINT_INTERVAL = 10;
  public static final String DEFAULT_ENGINE_INFO = "Sluice";
  public static final int DEFAULT_MAX_CONFLICT_REBASES = 20;

  public CommitClientConfig {
    hadoopConfiguration =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNull(hadoopConfiguration, "hadoopConfiguration")));
    Objects.requireNonNull(engineInfo, "engineInfo");
    if (checkpointInterval < 0) {
      throw new IllegalArgumentException("checkpointInterval must be >= 0: " + checkpointInterval);
    }
    if (maxConflictRebases < 0) {
      throw new IllegalArgumentException("maxConflictRebases must be >= 0: " + maxConflictRebases);
    }
  }

  public static CommitClientConfig defaults() {
    return new CommitClientConfig(
        Map.of(), DEFAULT_CHECKPOINT_INTERVAL, DEFAULT_ENGINE_INFO, DEFAULT_MAX_CONFLICT_REBASES);
  }

  public CommitClientConfig withHadoopConfiguration(Map<String, String> conf) {
    return new CommitClientConfig(conf, checkpointInterval, engineInfo, maxConflictRebases);
  }

  public CommitClientConfig withCheckpointInterval(int interval) {
    return new CommitClientConfig(hadoopConfiguration, interval, engineInfo, maxConflictRebases);
  }

  public CommitClientConfig withMaxConflictRebases(int rebases) {
    return new CommitClientConfig(hadoopConfiguration, checkpointInterval, engineInfo, rebases);
  }
}
