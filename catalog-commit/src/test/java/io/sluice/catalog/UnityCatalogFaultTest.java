package io.sluice.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.sluice.catalog.internal.CatalogTable;
import io.sluice.catalog.internal.CatalogTableCommitClient;
import io.sluice.catalog.internal.CommitTimer;
import io.sluice.catalog.internal.DeltaCatalog;
import io.sluice.catalog.internal.UnityCatalog;
import io.sluice.catalogserver.CatalogServer;
import io.sluice.catalogserver.CatalogServer.RecordedCommit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Unity Catalog client under the embedded server's injected faults. */
class UnityCatalogFaultTest {
  private static final RetryPolicy RETRIES = RetryPolicy.exponential(10, Duration.ofMillis(50));

  @TempDir Path dir;
  private UnityCatalogTarget target;
  private CatalogServer server;
  private String table;

  @BeforeEach
  void start() throws Exception {
    server = CatalogServer.builder(dir).token("test-token").start();
    target = UnityCatalogTarget.embedded(server);
    table = target.newTableName("faults");
    try (TableCommitClient c = client()) {
      c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    }
  }

  @AfterEach
  void stop() {
    target.close();
  }

  private TableCommitClient client() {
    return target.client(table, CommitClientConfig.defaults());
  }

  private List<RecordedCommit> commitsOf(long version) {
    return server.commitRequests().stream().filter(r -> r.version() != null && r.version() == version).toList();
  }

  private void assertExactlyOnce(TableCommitClient c, Set<String> files) throws Exception {
    List<String> live = TestActions.dataFiles(c.engine(), c.latestSnapshot());
    assertEquals(files.size(), live.size(), live.toString());
    assertEquals(files, new HashSet<>(live));
    UnityCatalogTarget.assertCatalogManagedAndPublished(c);
  }

  @Test
  void aLostAnswerIsResentWithTheSameStagedFile() throws Exception {
    server.faults().dropResponsesAfterAccept(1);
    try (TableCommitClient c = client()) {
      CommitOutcome o = c.commitWithRetries("app", "lineage-1", 1, TestActions.appendFile("1.parquet"), RETRIES);
      assertEquals(1, assertInstanceOf(CommitOutcome.Committed.class, o).tableVersion());
      List<RecordedCommit> sends = commitsOf(1);
      assertEquals(2, sends.size(), sends.toString());
      assertEquals(0, sends.get(0).status(), "the first answer was lost");
      assertEquals(200, sends.get(1).status(), "the resend is a replay");
      assertEquals(sends.get(0).fileName(), sends.get(1).fileName());
      assertExactlyOnce(c, Set.of("1.parquet"));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 503})
  void aCatalogFailingForAWhileIsRetriedUntilItCommits(int status) throws Exception {
    try (TableCommitClient c = client()) {
      c.commitWithRetries("app", "lineage-1", 1, TestActions.appendFile("1.parquet"), RETRIES);
      server.faults().failRequests(status, Duration.ofMillis(1500));
      CommitOutcome o = c.commitWithRetries("app", "lineage-1", 2, TestActions.appendFile("2.parquet"), RETRIES);
      assertInstanceOf(CommitOutcome.Committed.class, o, o.toString());
      assertExactlyOnce(c, Set.of("1.parquet", "2.parquet"));
    }
  }

  @Test
  void aConflictAfterAResendIsResolvedByAskingTheCatalog() throws Exception {
    server.faults().holdResponsesAfterAccept(1);
    try (TableCommitClient a = client(); TableCommitClient b = client()) {
      CompletableFuture<CommitOutcome> first =
          CompletableFuture.supplyAsync(() -> commit(a, "a", 1, "a1.parquet"));
      assertTrue(server.faults().awaitHeld(1, Duration.ofSeconds(30)), "a's commit was ratified");
      // b publishes a's ratified version 1 and commits version 2: the catalog forgets version 1,
      // so a's resend of it is a 409 that only the catalog and the published file can settle.
      assertEquals(2, ((CommitOutcome.Committed) commit(b, "b", 1, "b1.parquet")).tableVersion());
      server.faults().releaseHeld();

      CommitOutcome o = first.get(60, TimeUnit.SECONDS);
      assertEquals(1, assertInstanceOf(CommitOutcome.Committed.class, o).tableVersion());
      List<RecordedCommit> sends = commitsOf(1);
      assertEquals(List.of(0, 409), sends.stream().map(RecordedCommit::status).toList());
      assertExactlyOnce(a, Set.of("a1.parquet", "b1.parquet"));
      assertEquals(Optional.of(1L), a.latestTransactionVersion("a"));
    }
  }

  @Test
  void tooManyUnpublishedCommitsArePublishedThenTheCommitIsResent() throws Exception {
    // A writer that never publishes leaves the catalog holding its 10 commits.
    try (TableCommitClient lazy = nonPublishingClient()) {
      for (long txn = 1; txn <= 10; txn++) {
        commit(lazy, "lazy", txn, "lazy" + txn + ".parquet");
      }
    }
    assertEquals(10, target.trackedCommits(table).size());
    try (TableCommitClient c = client()) {
      CommitOutcome o = c.commitWithRetries("app", "lineage-1", 1, TestActions.appendFile("1.parquet"), RETRIES);
      assertEquals(11, assertInstanceOf(CommitOutcome.Committed.class, o).tableVersion());
      List<RecordedCommit> requests = server.commitRequests();
      int rejected = requests.indexOf(new RecordedCommit(11L, commitsOf(11).get(0).fileName(), 0L, 429));
      assertTrue(rejected >= 0, requests.toString());
      assertTrue(
          requests.subList(rejected, requests.size()).stream()
              .anyMatch(r -> r.version() == null && Long.valueOf(10).equals(r.latestBackfilledVersion())),
          "the backlog was published and reported before the resend: " + requests);
      assertEquals(200, commitsOf(11).get(commitsOf(11).size() - 1).status());
      Set<String> files = new HashSet<>(Set.of("1.parquet"));
      for (int i = 1; i <= 10; i++) {
        files.add("lazy" + i + ".parquet");
      }
      assertExactlyOnce(c, files);
      assertEquals(List.of(), target.trackedCommits(table));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 403, 404})
  void aRefusedCommitIsDefinitiveAndAdvancesNothing(int status) throws Exception {
    try (TableCommitClient c = client()) {
      server.faults().rejectCommits(status, 1);
      CatalogRequestRefusedException e =
          assertThrows(
              CatalogRequestRefusedException.class,
              () -> c.commitWithRetries("app", "lineage-1", 1, TestActions.appendFile("1.parquet"), RETRIES));
      assertEquals(status, e.httpStatus());
      assertTrue(e.getMessage().contains(table) && e.getMessage().contains("HTTP " + status), e.getMessage());
      assertEquals(1, commitsOf(1).size(), "not resent");
      assertEquals(Optional.empty(), c.latestTransactionVersion("app"));
      assertEquals(0, c.latestSnapshot().getVersion());
    }
  }

  @Test
  void aWrongTokenIsRefusedWithAClearMessage() {
    UnityCatalogConfig wrong = new UnityCatalogConfig(target.uri, "not-the-token");
    try (TableCommitClient c = TableCommitClients.unityCatalog(wrong, table, CommitClientConfig.defaults())) {
      CatalogRequestRefusedException e =
          assertThrows(
              CatalogRequestRefusedException.class,
              () -> c.commitWithRetries("app", "lineage-1", 1, TestActions.appendFile("1.parquet"), RETRIES));
      assertEquals(401, e.httpStatus());
      assertTrue(e.getMessage().contains(table), e.getMessage());
    }
    assertEquals(List.of(), server.commitRequests());
  }

  @Test
  void eachCommitReportsWhereItsTimeWent() throws Exception {
    server.faults().delayRequests(Duration.ofMillis(100), Duration.ofMinutes(1));
    try (TableCommitClient c = client()) {
      CommitLatency latency =
          ((CommitOutcome.Committed) c.commitWithRetries("app", "lineage-1", 1, TestActions.appendFile("1.parquet"), RETRIES))
              .latency();
      assertTrue(latency.catalog().toMillis() >= 100, latency.toString());
      assertTrue(latency.publishing().toMillis() >= 100, "the report of the publish: " + latency);
      assertTrue(latency.staging().compareTo(Duration.ZERO) > 0, latency.toString());
      assertTrue(latency.total().compareTo(latency.catalog().plus(latency.publishing())) >= 0, latency.toString());
    }
  }

  private static CommitOutcome commit(TableCommitClient c, String app, long txn, String file) {
    try {
      return c.commitWithRetries(app, "lineage-1", txn, TestActions.appendFile(file), RETRIES);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client whose catalog never publishes (as a writer that crashes after every commit would). */
  private TableCommitClient nonPublishingClient() {
    Configuration conf = new Configuration();
    DeltaCatalog uc = UnityCatalog.connect(target.config(), conf, "test");
    DeltaCatalog lazy =
        new DeltaCatalog() {
          @Override public String description() { return uc.description(); }
          @Override public Optional<String> maintenanceRefusal() { return uc.maintenanceRefusal(); }
          @Override public Optional<CatalogTable> resolve(Engine e, String name) { return uc.resolve(e, name); }
          @Override public CatalogTable create(Engine e, String name, TableDefinition d) { return uc.create(e, name, d); }
          @Override public Snapshot publish(Engine e, CatalogTable t, Snapshot s) { return s; }
          @Override public void maintain(Engine e, CatalogTable t, TransactionCommitResult r, Snapshot p, int i) {}
          @Override public void close() { uc.close(); }

          @Override
          public Snapshot loadLatest(Engine e, CatalogTable t, CommitTimer timer) throws TableNotFoundException {
            return uc.loadLatest(e, t, timer);
          }
        };
    return new CatalogTableCommitClient(lazy, table, DefaultEngine.create(conf), CommitClientConfig.defaults());
  }
}
