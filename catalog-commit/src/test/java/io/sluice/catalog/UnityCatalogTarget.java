package io.sluice.catalog;

import static org.junit.jupiter.api.Assertions.assertNotEquals;


import io.sluice.catalogserver.CatalogServer;
import io.sluice.testing.DeltaTableReader;
import io.unitycatalog.client.ApiClient;
import io.unitycatalog.client.ApiClientBuilder;
import io.unitycatalog.client.ApiException;
import io.unitycatalog.client.api.CatalogsApi;
import io.unitycatalog.client.api.DeltaCommitsApi;
import io.unitycatalog.client.api.SchemasApi;
import io.unitycatalog.client.api.TablesApi;
import io.unitycatalog.client.auth.TokenProvider;
import io.unitycatalog.client.model.CreateCatalog;
import io.unitycatalog.client.model.CreateSchema;
import io.unitycatalog.client.model.DeltaCommitInfo;
import io.unitycatalog.client.model.DeltaGetCommits;
import io.unitycatalog.client.model.TableInfo;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Unity Catalog a test talks to, and checks of a catalog-managed table through it. By default
 * a {@link CatalogServer} embedded in the test JVM; with {@code -Dsluice.uc.uri=https://...} (and
 * {@code -Dsluice.uc.token=...}, or the environment variable {@code SLUICE_UC_TOKEN}) a real Unity
 * Catalog, in the catalog and schema {@code -Dsluice.uc.catalog} / {@code -Dsluice.uc.schema}
 * (default {@code sluice_test.contract}), created if absent. Table storage must then be a path this
 * machine can write (a {@code file:} storage root on this host, or cloud storage with credentials
 * in the Hadoop configuration).
 */
public final class UnityCatalogTarget implements AutoCloseable {
  public final URI uri;
  public final String token;
  public final String catalog;
  public final String schema;
  /** The embedded server, or null against a configured catalog. */
  public final CatalogServer server;

  private UnityCatalogTarget(URI uri, String token, String catalog, String schema, CatalogServer server) {
    this.uri = uri;
    this.token = token;
    this.catalog = catalog;
    this.schema = schema;
    this.server = server;
  }

  /** The catalog named by {@code -Dsluice.uc.uri}, else an embedded server under {@code dir}. */
  public static UnityCatalogTarget embeddedOrConfigured(Path dir) throws Exception {
    String configured = System.getProperty("sluice.uc.uri", "");
    if (configured.isBlank()) {
      return embedded(CatalogServer.builder(dir).start());
    }
    String token = System.getProperty("sluice.uc.token", System.getenv().getOrDefault("SLUICE_UC_TOKEN", ""));
    return at(
        URI.create(configured),
        token,
        System.getProperty("sluice.uc.catalog", "sluice_test"),
        System.getProperty("sluice.uc.schema", "contract"));
  }

  /** An embedded server, with the catalog {@code main} and schema {@code main.tests}. */
  public static UnityCatalogTarget embedded(CatalogServer server) throws Exception {
    UnityCatalogTarget target = new UnityCatalogTarget(server.uri(), "test-token", "main", "tests", server);
    target.createNamespaceIfAbsent();
    return target;
  }

  /** A running Unity Catalog at {@code uri}. */
  public static UnityCatalogTarget at(URI uri, String token, String catalog, String schema) throws Exception {
    UnityCatalogTarget target = new UnityCatalogTarget(uri, token, catalog, schema, null);
    target.createNamespaceIfAbsent();
    return target;
  }

  public UnityCatalogConfig config() {
    return new UnityCatalogConfig(uri, token);
  }

  /** A fresh table name in the target's schema. */
  public String newTableName(String prefix) {
    return catalog + "." + schema + "." + prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  public TableCommitClient client(String table, CommitClientConfig config) {
    return TableCommitClients.unityCatalog(config(), table, config);
  }

  public ApiClient api() {
    return ApiClientBuilder.create()
        .uri(uri)
        .tokenProvider(TokenProvider.create(Map.of("type", "static", "token", token)))
        .build();
  }

  /** The commits the catalog ratified and still tracks for {@code table}. */
  public List<DeltaCommitInfo> trackedCommits(String table) throws ApiException {
    TableInfo info = new TablesApi(api()).getTable(table, null, null);
    return new DeltaCommitsApi(api())
        .getCommits(
            new DeltaGetCommits()
                .tableId(info.getTableId())
                .tableUri(info.getStorageLocation())
                .startVersion(0L))
        .getCommits();
  }

  /**
   * Checks what every catalog-managed table must show (see {@link
   * DeltaTableReader#assertCatalogManagedAndPublished}), and that its location is the catalog's.
   */
  public static void assertCatalogManagedAndPublished(TableCommitClient client) throws IOException {
    assertNotEquals(client.tableName(), client.storageLocation(), "the location comes from the catalog");
    new DeltaTableReader(client::latestSnapshot).assertCatalogManagedAndPublished();
  }

  private void createNamespaceIfAbsent() throws ApiException {
    try {
      new CatalogsApi(api()).getCatalog(catalog);
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      new CatalogsApi(api()).createCatalog(new CreateCatalog().name(catalog));
    }
    try {
      new SchemasApi(api()).getSchema(catalog + "." + schema);
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      new SchemasApi(api()).createSchema(new CreateSchema().catalogName(catalog).name(schema));
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
