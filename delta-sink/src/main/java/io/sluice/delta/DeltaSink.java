package io.sluice.delta;

import io.sluice.catalog.CommitLatencies;
import io.sluice.catalog.HadoopConfigurations;
import io.sluice.catalog.TableCommitClient;
import io.sluice.delta.internal.DeltaGlobalCommitter;
import io.sluice.delta.internal.DeltaSinkWriter;
import io.sluice.engine.row.Row;
import io.sluice.engine.sink.CommittableSerializer;
import io.sluice.engine.sink.CommitterContext;
import io.sluice.engine.sink.GlobalCommitter;
import io.sluice.engine.sink.SinkContext;
import io.sluice.engine.sink.SinkWriter;
import io.sluice.engine.sink.TwoPhaseCommitSink;
import java.util.Objects;

/**
 * Exactly-once sink of {@link Row}s into a Delta table. Writers stream rows into Parquet files in
 * the table directory and hand the closed files over at each checkpoint; one global committer
 * publishes all files of a completed checkpoint N as a single Delta commit carrying {@code
 * txn(appId, N)}, so re-committing after a restore publishes nothing twice, and the job's lineage,
 * so another history of the same pipeline cannot commit over it.
 */
public final class DeltaSink implements TwoPhaseCommitSink<Row, DeltaCommittable> {
  private final DeltaSinkConfig config;
  private final TableCommitClientFactory clients;
  private final CommitLatencies commitLatencies = new CommitLatencies();
  private final DataFileMetrics dataFileMetrics = new DataFileMetrics();
  private volatile String storageLocation;

  public DeltaSink(DeltaSinkConfig config) {
    this(config, TableCommitClientFactory.fileSystem());
  }

  public DeltaSink(DeltaSinkConfig config, TableCommitClientFactory clients) {
    this.config = Objects.requireNonNull(config, "config");
    this.clients = Objects.requireNonNull(clients, "clients");
  }

  public DeltaSinkConfig config() {
    return config;
  }

  /** The latencies of the commits this sink published, over every committer it created. */
  public CommitLatencies commitLatencies() {
    return commitLatencies;
  }

  /**
   * The data files this sink's writers closed, what the open-file cap did to them, and what its
   * compaction rewrote.
   */
  public DataFileMetrics dataFileMetrics() {
    return dataFileMetrics;
  }

  @Override
  public SinkWriter<Row, DeltaCommittable> createWriter(SinkContext context) throws Exception {
    return new DeltaSinkWriter(
        config,
        storageLocation(),
        context,
        HadoopConfigurations.create(config.hadoopConfiguration()),
        dataFileMetrics);
  }

  /**
   * Where data files go: the table root its catalog gives (for a catalog-managed table not the
   * configured name), opening (or creating, see {@link DeltaSinkConfig#createTable}) the table on
   * first use.
   */
  private String storageLocation() {
    String location = storageLocation;
    if (location == null) {
      synchronized (this) {
        if (storageLocation == null) {
          try (TableCommitClient client = clients.create(config)) {
            storageLocation = DeltaGlobalCommitter.openTable(client, config).storageLocation();
          }
        }
        location = storageLocation;
      }
    }
    return location;
  }

  @Override
  public GlobalCommitter<DeltaCommittable> createCommitter(CommitterContext context) {
    return new DeltaGlobalCommitter(
        config,
        clients.create(config),
        clients,
        HadoopConfigurations.create(config.hadoopConfiguration()),
        commitLatencies,
        dataFileMetrics,
        context);
  }

  @Override
  public CommittableSerializer<DeltaCommittable> committableSerializer() {
    return DeltaCommittableSerializer.INSTANCE;
  }
}
