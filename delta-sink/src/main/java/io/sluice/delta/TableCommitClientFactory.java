package io.sluice.delta;

import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitClients;
import io.sluice.catalog.UnityCatalogConfig;

/**
 * Creates the {@link TableCommitClient}s the sink commits through and takes its table location
 * from, one per call (the caller closes it). The default targets a filesystem-managed table.
 */
@FunctionalInterface
public interface TableCommitClientFactory {
  TableCommitClient create(DeltaSinkConfig config);

  /** Filesystem-managed table at {@link DeltaSinkConfig#tablePath()}. */
  static TableCommitClientFactory fileSystem() {
    return config -> TableCommitClients.fileSystem(config.tablePath(), clientConfig(config));
  }

  /**
   * Catalog-managed table {@link DeltaSinkConfig#tablePath()} ({@code catalog.schema.table}) of
   * the Unity Catalog {@code catalog}; data files go where the catalog says.
   */
  static TableCommitClientFactory unityCatalog(UnityCatalogConfig catalog) {
    return config ->
        TableCommitClients.unityCatalog(catalog, config.tablePath(), clientConfig(config));
  }

  private static CommitClientConfig clientConfig(DeltaSinkConfig config) {
    return CommitClientConfig.defaults()
        .withHadoopConfiguration(config.hadoopConfiguration())
        .withCheckpointInterval(config.checkpointInterval());
  }
}
