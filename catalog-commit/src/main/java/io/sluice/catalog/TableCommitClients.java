package io.sluice.catalog;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.sluice.catalog.internal.CatalogTableCommitClient;
import io.sluice.catalog.internal.FileSystemCatalog;
import io.sluice.catalog.internal.UnityCatalog;
import org.apache.hadoop.conf.Configuration;

/** Factories for {@link TableCommitClient}s. */
public final class TableCommitClients {
  private TableCommitClients() {}

  /**
   * A client for a filesystem-managed Delta table at {@code tablePath}: a local path or any Hadoop
   * FileSystem URI. Versions are published with put-if-absent semantics: a hard link on local
   * file systems (atomic), otherwise Kernel's LogStore for the scheme (atomic rename on HDFS,
   * conditional writes on ABFS/GCS; S3 needs a LogStore with put-if-absent).
   */
  public static TableCommitClient fileSystem(String tablePath, CommitClientConfig config) {
    return fileSystem(tablePath, new Configuration(), config);
  }

  /** Same as {@link #fileSystem(String, CommitClientConfig)} with a ready Hadoop configuration. */
  public static TableCommitClient fileSystem(
      String tablePath, Configuration hadoopConf, CommitClientConfig config) {
    Configuration conf = HadoopConfigurations.copy(hadoopConf, config.hadoopConfiguration());
    return new CatalogTableCommitClient(
        new FileSystemCatalog(conf, config.engineInfo()),
        tablePath,
        DefaultEngine.create(conf),
        config);
  }

  /**
   * A client for the catalog-managed table {@code tableName} ({@code catalog.schema.table}) of the
   * Unity Catalog {@code catalog}: commits are staged in {@code _delta_log/_staged_commits/},
   * ratified by the catalog, then published to {@code _delta_log/<N>.json}; the table's storage
   * location comes from the catalog, and {@link TableCommitClient#openOrCreate} creates the table
   * through it.
   */
  public static TableCommitClient unityCatalog(
      UnityCatalogConfig catalog, String tableName, CommitClientConfig config) {
    Configuration conf = HadoopConfigurations.create(config.hadoopConfiguration());
    return new CatalogTableCommitClient(
        UnityCatalog.connect(catalog, conf, config.engineInfo()),
        tableName,
        DefaultEngine.create(conf),
        config);
  }
}
