package io.sluice.service.config;

import io.sluice.engine.row.Schema;
import io.sluice.kafka.OffsetResetPolicy;
import io.sluice.kafka.StartPosition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One ingestion pipeline as declared in its YAML file: a Kafka topic, through transforms, into a
 * Delta table. See
 * {@link PipelineOptions} and {@code docs/configuration.md} for every field and its default.
 */
public record PipelineConfig(
    String id,
    Source source,
    Schema schema,
    Sink sink,
    Checkpoint checkpoint,
    Restart restart,
    List<Transform> transforms,
    State state) {

  /** Where records come from. {@code bootstrap = "embedded"} starts a local demo broker. */
  public record Source(
      String bootstrap,
      String topic,
      StartPosition start,
      boolean bounded,
      int parallelism,
      Optional<String> groupId,
      OffsetResetPolicy onMissingOffset,
      Map<String, String> properties) {

    public boolean embedded() {
      return EMBEDDED.equals(bootstrap);
    }
  }

  /** The Delta table written to; {@code parallelism} is resolved (the source's when not given). */
  public record Sink(
      String table,
      List<String> partitionBy,
      long targetFileSizeBytes,
      int maxOpenFiles,
      int logCheckpointInterval,
      int parallelism,
      Map<String, String> hadoop) {}

  public record Checkpoint(Duration interval, Path directory, Duration timeout, int retained) {}

  public record Restart(int attempts, Duration delay) {}

  /**
   * Where keyed state lives.
   *
   * @param directory the working directory of the rocksdb backend
   * @param maxParallelism key groups, fixed at the first start
   * @param rocksDbMemoryBytes the native memory budget of the rocksdb backend
   */
  public record State(
      StateBackendKind backend, Path directory, int maxParallelism, long rocksDbMemoryBytes) {}

  public static final String EMBEDDED = "embedded";
}
