package io.sluice.delta;

import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitClients;

/**
 * Creates the {@link TableCommitClient} the sink's committer publishes through. The default
 * targets a filesystem-managed table; a catalog-managed table (Unity Catalog) plugs in here.
 */
@FunctionalInterface
public interface TableCommitClientFactory {
  TableCommitClient create(DeltaSinkConfig config);

  /** Filesystem-managed table at {@link DeltaSinkConfig#tablePath()}. */
  static TableCommitClientFactory fileSystem() {
    return config ->
        TableCommitClients.fileSystem(
            config.tablePath(),
            CommitClientConfig.defaults()
                .withHadoopConfiguration(config.hadoopConfiguration())
                .withCheckpointInterval(config.checkpointInterval()));
  }
}
