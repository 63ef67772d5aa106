package io.sluice.service;

import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitClients;
import io.sluice.catalog.UnityCatalogConfig;
import io.sluice.catalogserver.CatalogServer;
import io.sluice.service.config.CatalogOptions;
import io.sluice.service.config.PipelineConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The table a command works on (picocli mixin): the table at a path, or with {@code --catalog} a
 * Unity Catalog table by name, reached through the catalog at a URI or through the embedded
 * server's state in {@code --catalog-dir}.
 */
final class TableTarget {
  /** The environment variable holding the bearer token sent to the catalog. */
  static final String TOKEN_VARIABLE = "UC_TOKEN";

  @Parameters(
      paramLabel = "TABLE",
      description = "the table's path or URI; with --catalog its name, catalog.schema.table")
  String table;

  @Option(
      names = "--catalog",
      paramLabel = "URI|embedded",
      description = "the table is in the Unity Catalog at URI (bearer token from the environment"
          + " variable " + TOKEN_VARIABLE + "), or in the embedded server's state in --catalog-dir;"
          + " while a pipeline runs that server, give the URI it printed")
  String catalog;

  @Option(
      names = "--catalog-dir",
      paramLabel = "DIR",
      description = "with --catalog embedded: the embedded server's directory (default: "
          + "data/catalog, as sink.catalog.dir)")
  Path catalogDir;

  /** What a command does with the table's client; returns the command's exit code. */
  interface Action {
    int apply(TableCommitClient client, boolean byName) throws IOException;
  }

  /**
   * Runs {@code action} on a client of the table, started and closed here (with the embedded
   * catalog server it needs); exit code 2 for bad options, 1 when the table cannot be reached or
   * {@code action} fails unexpectedly ({@code "sluice: cannot <verb> the table ..."}).
   */
  int run(PrintStream err, String verb, Action action) {
    if (catalogDir != null && !PipelineConfig.EMBEDDED.equals(catalog)) {
      err.println("sluice: --catalog-dir goes with --catalog embedded");
      return 2;
    }
    if (catalog != null) {
      try {
        CatalogOptions.URI.validate(catalog);
      } catch (IllegalArgumentException e) {
        // the message is "uri: <problem>"
        err.println("sluice: --catalog: "
            + e.getMessage().substring(CatalogOptions.URI.key().length() + 2));
        return 2;
      }
    }
    try {
      return reachAndRun(err, action);
    } catch (IOException | RuntimeException e) {
      err.println("sluice: cannot " + verb + " the table " + table + ": " + e);
      return 1;
    }
  }

  private int reachAndRun(PrintStream err, Action action) throws IOException {
    if (catalog == null) {
      String path = table.contains("://") ? table : Path.of(table).toAbsolutePath().normalize().toString();
      try (TableCommitClient client = TableCommitClients.fileSystem(path, CommitClientConfig.defaults())) {
        return action.apply(client, false);
      }
    }
    String token = System.getenv().getOrDefault(TOKEN_VARIABLE, "");
    if (!catalog.equals(PipelineConfig.EMBEDDED)) {
      return runByName(new UnityCatalogConfig(URI.create(catalog), token), action);
    }
    Path dir = catalogDir != null ? catalogDir : CatalogOptions.DIR.defaultValue();
    if (!CatalogServer.holdsCatalog(dir)) {
      err.println("sluice: " + dir + " holds no embedded catalog (a pipeline with "
          + "sink.catalog.uri: embedded and sink.catalog.dir: " + dir + " creates it)");
      return 1;
    }
    CatalogServer.Builder embedded = CatalogServer.builder(dir.toAbsolutePath().normalize());
    if (!token.isEmpty()) {
      embedded.token(token);
    }
    CatalogServer server;
    try {
      server = embedded.start();
    } catch (IOException e) {
      err.println("sluice: " + e.getMessage() + "; while a pipeline runs it, read through "
          + "that server: --catalog with the URI the run printed");
      return 1;
    }
    try (server) {
      return runByName(new UnityCatalogConfig(server.uri(), token), action);
    }
  }

  private int runByName(UnityCatalogConfig config, Action action) throws IOException {
    try (TableCommitClient client =
        TableCommitClients.unityCatalog(config, table, CommitClientConfig.defaults())) {
      return action.apply(client, true);
    }
  }
}
