package io.sluice.catalogserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unitycatalog.client.ApiClient;
import io.unitycatalog.client.ApiClientBuilder;
import io.unitycatalog.client.ApiException;
import io.unitycatalog.client.api.DeltaCommitsApi;
import io.unitycatalog.client.api.MetastoresApi;
import io.unitycatalog.client.api.TablesApi;
import io.unitycatalog.client.auth.TokenProvider;
import io.unitycatalog.client.model.CreateStagingTable;
import io.unitycatalog.client.model.CreateTable;
import io.unitycatalog.client.model.DataSourceFormat;
import io.unitycatalog.client.model.DeltaCommit;
import io.unitycatalog.client.model.DeltaCommitInfo;
import io.unitycatalog.client.model.DeltaGetCommits;
import io.unitycatalog.client.model.DeltaGetCommitsResponse;
import io.unitycatalog.client.model.StagingTableInfo;
import io.unitycatalog.client.model.TableInfo;
import io.unitycatalog.client.model.TableType;
import io.unitycatalog.client.retry.JitterDelayRetryPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's Unity Catalog 0.6.0 semantics, driven through the UC SDK. */
class CatalogServerTest {
  @TempDir Path dir;
  private CatalogServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static ApiClient client(URI uri, String token) {
    return ApiClientBuilder.create()
        .uri(uri)
        .tokenProvider(TokenProvider.create(Map.of("type", "static", "token", token)))
        .retryPolicy(JitterDelayRetryPolicy.builder().maxAttempts(1).build())
        .build();
  }

  private TableInfo createTable(ApiClient api, String name) throws ApiException {
    TablesApi tables = new TablesApi(api);
    StagingTableInfo staging =
        tables.createStagingTable(new CreateStagingTable().catalogName("main").schemaName("s").name(name));
    return tables.createTable(
        new CreateTable()
            .catalogName("main")
            .schemaName("s")
            .name(name)
            .tableType(TableType.MANAGED)
            .dataSourceFormat(DataSourceFormat.DELTA)
            .storageLocation(staging.getStagingLocation())
            .properties(Map.of("io.unitycatalog.tableId", staging.getId())));
  }

  private static DeltaCommit commit(TableInfo table, long version, String file, Long backfilled) {
    DeltaCommit c = new DeltaCommit().tableId(table.getTableId()).tableUri(table.getStorageLocation());
    if (file != null) {
      c.commitInfo(
          new DeltaCommitInfo()
              .version(version)
              .timestamp(1000L + version)
              .fileName(file)
              .fileSize(10L)
              .fileModificationTimestamp(1000L + version));
    }
    return c.latestBackfilledVersion(backfilled);
  }

  private static DeltaGetCommitsResponse commits(DeltaCommitsApi api, TableInfo table) throws ApiException {
    return api.getCommits(
        new DeltaGetCommits().tableId(table.getTableId()).tableUri(table.getStorageLocation()).startVersion(0L));
  }

  private static int status(ThrowingCall call) {
    try {
      call.run();
      return 200;
    } catch (ApiException e) {
      return e.getCode();
    }
  }

  interface ThrowingCall {
    void run() throws ApiException;
  }

  @Test
  void commitsFollowUnityCatalogRules() throws Exception {
    server = CatalogServer.builder(dir).createMissingNamespaces(true).start();
    ApiClient api = client(server.uri(), "t");
    TableInfo table = createTable(api, "events");
    DeltaCommitsApi commits = new DeltaCommitsApi(api);
    assertEquals(0L, commits(commits, table).getLatestTableVersion());

    commits.commit(commit(table, 1, "1.a.json", null)); // onboarding
    assertEquals(400, status(() -> commits.commit(commit(table, 3, "3.a.json", null))), "gap");
    assertEquals(200, status(() -> commits.commit(commit(table, 1, "1.a.json", null))), "replay");
    assertEquals(409, status(() -> commits.commit(commit(table, 1, "1.b.json", null))), "taken");
    for (long v = 2; v <= 10; v++) {
      commits.commit(commit(table, v, v + ".a.json", null));
    }
    assertEquals(429, status(() -> commits.commit(commit(table, 11, "11.a.json", null))), "11 unbackfilled");
    assertEquals(10, commits(commits, table).getCommits().size());

    commits.commit(commit(table, 11, "11.a.json", 9L)); // backfill 1..9 with the commit
    DeltaGetCommitsResponse left = commits(commits, table);
    assertEquals(11L, left.getLatestTableVersion());
    assertEquals(List.of(11L, 10L), left.getCommits().stream().map(DeltaCommitInfo::getVersion).toList());
    assertEquals(409, status(() -> commits.commit(commit(table, 5, "5.a.json", null))), "backfilled, 0.6.0");

    commits.commit(commit(table, 0, null, 11L)); // backfill-only reaching the newest commit
    DeltaGetCommitsResponse none = commits(commits, table);
    assertEquals(List.of(), none.getCommits());
    assertEquals(11L, none.getLatestTableVersion(), "the newest commit is kept, marked backfilled");
    assertEquals(200, status(() -> commits.commit(commit(table, 11, "11.a.json", null))), "replay of newest");
    assertEquals(400, status(() -> commits.commit(commit(table, 0, null, 12L))), "backfill past last");
    assertEquals(
        400,
        status(() -> commits.commit(commit(table, 12, "12.a.json", null).tableUri("file:/elsewhere"))),
        "table_uri must match");
  }

  @Test
  void stateSurvivesARestart() throws Exception {
    server = CatalogServer.builder(dir).createMissingNamespaces(true).start();
    TableInfo table = createTable(client(server.uri(), "t"), "events");
    new DeltaCommitsApi(client(server.uri(), "t")).commit(commit(table, 1, "1.a.json", null));
    String metastore = new MetastoresApi(client(server.uri(), "t")).summary().getMetastoreId();
    server.close();

    server = CatalogServer.builder(dir).start();
    ApiClient api = client(server.uri(), "t");
    assertEquals(metastore, new MetastoresApi(api).summary().getMetastoreId());
    TableInfo reread = new TablesApi(api).getTable("main.s.events", null, null);
    assertEquals(table.getTableId(), reread.getTableId());
    assertEquals(1L, commits(new DeltaCommitsApi(api), table).getLatestTableVersion());
    assertEquals(409, status(() -> new DeltaCommitsApi(api).commit(commit(table, 1, "1.b.json", null))));
  }

  @Test
  void oneServerAtATimeUsesADataDirectory() throws Exception {
    server = CatalogServer.builder(dir).start();
    IOException refused = assertThrows(IOException.class, () -> CatalogServer.builder(dir).start());
    assertTrue(refused.getMessage().contains("is in use by another catalog server"), refused.getMessage());
    server.close();
    server = CatalogServer.builder(dir).start(); // released on close
  }

  @Test
  void missingNamespacesAreNamedUnlessCreatedOnFirstUse() throws Exception {
    server = CatalogServer.builder(dir).start();
    ApiException e =
        assertThrows(ApiException.class, () -> createTable(client(server.uri(), "t"), "events"));
    assertEquals(404, e.getCode());
    assertTrue(e.getResponseBody().contains("Catalog not found: main"), e.getResponseBody());
    ApiException unknown =
        assertThrows(
            ApiException.class,
            () -> new TablesApi(client(server.uri(), "t")).getTable("main.s.nope", null, null));
    assertEquals(404, unknown.getCode());
  }

  @Test
  void tokenIsRequiredWhenConfigured() throws Exception {
    server = CatalogServer.builder(dir).token("secret").start();
    ApiException e =
        assertThrows(ApiException.class, () -> new MetastoresApi(client(server.uri(), "wrong")).summary());
    assertEquals(401, e.getCode());
    new MetastoresApi(client(server.uri(), "secret")).summary();
  }

  @Test
  void faultsAreSetThroughTheAdminEndpoint() throws Exception {
    server = CatalogServer.builder(dir).createMissingNamespaces(true).start();
    ApiClient api = client(server.uri(), "t");
    TableInfo table = createTable(api, "events");
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> set =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/sluice-admin/faults"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"drop-responses-after-accept\",\"times\":1}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, set.statusCode(), set.body());

    DeltaCommitsApi commits = new DeltaCommitsApi(api);
    ApiException lost = assertThrows(ApiException.class, () -> commits.commit(commit(table, 1, "1.a.json", null)));
    assertEquals(0, lost.getCode(), "no answer: a transport failure");
    assertEquals(1L, commits(commits, table).getLatestTableVersion(), "yet ratified");
    assertEquals(0, server.commitRequests().get(0).status());

    server.faults().failRequests(503, Duration.ofMinutes(1));
    assertEquals(503, status(() -> commits(commits, table)));
    server.faults().clear();
    assertEquals(200, status(() -> commits(commits, table)));
  }
}
