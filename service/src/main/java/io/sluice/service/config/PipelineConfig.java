package io.sluice.service.config;

import io.sluice.delta.DeltaSinkConfig;
import io.sluice.engine.row.Schema;
import io.sluice.kafka.MalformedRecordPolicy;
import io.sluice.kafka.OffsetResetPolicy;
import io.sluice.kafka.StartPosition;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One ingestion pipeline as declared in its YAML file: a Kafka topic, through transforms, into a
 * Delta table. See
 * {@link PipelineOptions} and {@code docs/configuration.md} for every field and its default.
 *
 * @param places where each field stands in the file ({@code file:line:col}, or the file for a
 *     field left out), by dotted path
 */
public record PipelineConfig(
    String id,
    Source source,
    Schema schema,
    Sink sink,
    Checkpoint checkpoint,
    Restart restart,
    List<Transform> transforms,
    State state,
    Map<String, String> places) {

  /**
   * Where a field of the file stands, for an error found after loading (a topic the brokers do
   * not have): {@code file:line:col: path}, or {@code file: path} for a field left out.
   *
   * @param path the field's dotted path, a key of {@link PipelineOptions#BY_PATH}
   */
  public String place(String path) {
    String place = places.get(path);
    if (place == null) {
      throw new IllegalArgumentException("no field " + path + " in a pipeline file");
    }
    return place + ": " + path;
  }

  /**
   * Where records come from. {@code bootstrap = "embedded"} starts a local demo broker.
   *
   * @param onError what a record that cannot be read into the schema does
   */
  public record Source(
      String bootstrap,
      String topic,
      StartPosition start,
      boolean bounded,
      int parallelism,
      Duration partitionDiscoveryInterval,
      Optional<String> groupId,
      OffsetResetPolicy onMissingOffset,
      MalformedRecordPolicy onError,
      Map<String, String> properties) {

    public boolean embedded() {
      return EMBEDDED.equals(bootstrap);
    }
  }

  /**
   * The Delta table written to; {@code parallelism} is resolved (the source's when not given).
   *
   * @param table a path or URI for a filesystem table, {@code catalog.schema.table} for Unity
   *     Catalog
   * @param deadLetterTable where malformed records go, resolved (the default beside the table when
   *     not given); present exactly when {@code source.on-error} is {@code dead-letter}
   * @param create whether the sink creates the table when it does not exist
   */
  public record Sink(
      String table,
      Optional<String> deadLetterTable,
      Catalog catalog,
      boolean create,
      List<String> partitionBy,
      long targetFileSizeBytes,
      int maxOpenFiles,
      int logCheckpointInterval,
      DeltaSinkConfig.Compaction compaction,
      int parallelism,
      Map<String, String> hadoop,
      Map<String, String> tableProperties,
      int commitMaxAttempts,
      Duration commitRetryBackoff) {}

  /** Who manages the sink's table. */
  public sealed interface Catalog {
    /** The table is a path, and its own catalog. */
    record FileSystem() implements Catalog {}

    /**
     * A Unity Catalog reached at {@code uri}.
     *
     * @param token the bearer token, empty for none; never shown by {@link #toString()}
     */
    record Unity(URI uri, String token) implements Catalog {
      @Override
      public String toString() {
        return "Unity[uri=" + uri + ", token=" + shown(token) + "]";
      }
    }

    /**
     * The local Unity Catalog-compatible server, started with the pipeline.
     *
     * @param directory where it keeps its state and the managed tables' storage
     * @param token the bearer token the server requires, empty for none; never shown by {@link
     *     #toString()}
     */
    record EmbeddedUnity(Path directory, String token) implements Catalog {
      @Override
      public String toString() {
        return "EmbeddedUnity[directory=" + directory + ", token=" + shown(token) + "]";
      }
    }

    private static String shown(String token) {
      return token.isEmpty() ? "none" : "***";
    }
  }

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

  /** The value of {@code source.bootstrap} or {@code sink.catalog.uri} that starts a local server. */
  public static final String EMBEDDED = "embedded";

  /** The default of {@code sink.dead-letter-table}: the table's name with this suffix. */
  public static final String DEAD_LETTERS_SUFFIX = "_dead_letters";

  /**
   * Where a filesystem table is: a URI as it is, a path made absolute and normalized (against the
   * working directory).
   */
  public static String fileSystemLocation(String table) {
    return table.contains("://") ? table : Path.of(table).toAbsolutePath().normalize().toString();
  }
}
