package io.sluice.it;

import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitClients;
import io.sluice.catalog.UnityCatalogConfig;
import io.sluice.testing.DeltaTableReader;
import java.net.URI;

/**
 * A Unity Catalog table on a catalog server the test runs, as pipelines (through the server's
 * URI, in their own JVMs) and the test's reader (through the catalog, with Kernel) reach it.
 */
final class LocalCatalogTable implements AutoCloseable {
  final String name;
  private final URI catalog;
  private final TableCommitClient client;

  /** @param name {@code catalog.schema.table}; a missing catalog or schema is created on first use */
  LocalCatalogTable(URI catalog, String name) {
    this.name = name;
    this.catalog = catalog;
    this.client = TableCommitClients.unityCatalog(
        new UnityCatalogConfig(catalog, ""), name, CommitClientConfig.defaults());
  }

  /** The lines of a pipeline file's {@code sink} section that reach the table through the catalog. */
  String sinkCatalog() {
    return "catalog:\n  type: unity\n  uri: " + catalog;
  }

  /** Reads the table's latest snapshot through the catalog. */
  DeltaTableReader reader() {
    return new DeltaTableReader(client::latestSnapshot);
  }

  @Override
  public void close() {
    client.close();
  }
}
