package io.sluice.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What Sluice's catalog-commit client needs of a Unity Catalog, written once and run against each
 * kind of catalog (see the subclasses): the embedded server, a configured real catalog, and the
 * Unity Catalog 0.6.0 server image. Uses only the UC API, no faults.
 */
abstract class UnityCatalogContract {
  static final RetryPolicy RETRIES = RetryPolicy.exponential(10, Duration.ofMillis(20));

  /** The catalog under test, for the duration of one test. */
  abstract UnityCatalogTarget target();

  private TableCommitClient client(String table) {
    return target().client(table, CommitClientConfig.defaults());
  }

  @Test
  void createsTheTableThroughTheCatalogAndCommitsEachTxnOnce() throws Exception {
    String table = target().newTableName("contract");
    try (TableCommitClient c = client(table)) {
      assertEquals(Optional.empty(), c.open(TableDefinition.of(TestActions.SCHEMA, List.of())), "never creates");
      OpenedTable created = c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
      assertTrue(created.created());
      assertEquals(0, created.version());
      assertNotEquals(table, created.storageLocation());

      for (long txn = 1; txn <= 3; txn++) {
        CommitOutcome o = c.commitWithRetries("pipe/t", "lineage-1", txn, TestActions.appendFile(txn + ".parquet"), RETRIES);
        assertEquals(txn, assertInstanceOf(CommitOutcome.Committed.class, o).tableVersion());
      }
      assertEquals(
          new CommitOutcome.AlreadyCommitted(3),
          c.commitWithRetries("pipe/t", "lineage-1", 2, TestActions.appendFile("again.parquet"), RETRIES));

      Set<String> files = new HashSet<>(TestActions.dataFiles(c.engine(), c.latestSnapshot()));
      assertEquals(Set.of("1.parquet", "2.parquet", "3.parquet"), files);
      assertEquals(new AppTransaction("pipe/t", Optional.of(3L), Optional.of("lineage-1")), c.transaction("pipe/t"));
      assertThrows(
          LineageMismatchException.class,
          () -> c.commitWithRetries("pipe/t", "lineage-2", 4, TestActions.appendFile("4.parquet"), RETRIES),
          "another history of the appId");
      assertEquals(3, c.latestSnapshot().getVersion());
      UnityCatalogTarget.assertCatalogManagedAndPublished(c);
      assertEquals(List.of(), target().trackedCommits(table), "every ratified commit was published");
      Path staged =
          Path.of(new org.apache.hadoop.fs.Path(c.storageLocation()).toUri())
              .resolve("_delta_log/_staged_commits");
      try (var s = Files.list(staged)) {
        assertEquals(3, s.filter(p -> p.getFileName().toString().endsWith(".json")).count());
      }
    }
    try (TableCommitClient reopened = client(table)) {
      OpenedTable opened = reopened.open(TableDefinition.of(TestActions.SCHEMA, List.of())).orElseThrow();
      assertFalse(opened.created());
      assertEquals(3, opened.version());
      assertEquals(Optional.of(3L), reopened.latestTransactionVersion("pipe/t"));
    }
  }

  @Test
  void aDifferentDefinitionIsRefusedNamingTheTable() {
    String table = target().newTableName("definition");
    try (TableCommitClient c = client(table)) {
      c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    }
    StructType other =
        new StructType().add("id", IntegerType.INTEGER, false).add("name", StringType.STRING, true);
    try (TableCommitClient c = client(table)) {
      TableDefinitionMismatchException e =
          assertThrows(TableDefinitionMismatchException.class, () -> c.openOrCreate(TableDefinition.of(other, List.of())));
      assertTrue(e.getMessage().contains(table), e.getMessage());
    }
  }

  @Test
  void aMissingCatalogIsAnErrorNamingIt() {
    String missing = "missing_" + Long.toHexString(System.nanoTime());
    try (TableCommitClient c = client(missing + "." + target().schema + ".t")) {
      CatalogRequestRefusedException e =
          assertThrows(
              CatalogRequestRefusedException.class,
              () -> c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of())));
      assertEquals(404, e.httpStatus());
      assertTrue(e.getMessage().contains(missing), e.getMessage());
    }
  }

  @Test
  void twoWritersWithDifferentAppIdsAppendConcurrentlyWithoutLossOrDuplicates() throws Exception {
    String table = target().newTableName("concurrent");
    try (TableCommitClient c = client(table)) {
      c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    }
    int commitsEach = 8;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<List<CommitOutcome>>> writers = new ArrayList<>();
    for (String app : List.of("a", "b")) {
      writers.add(pool.submit(() -> {
        List<CommitOutcome> outcomes = new ArrayList<>();
        try (TableCommitClient c = client(table)) {
          for (long txn = 1; txn <= commitsEach; txn++) {
            outcomes.add(c.commitWithRetries(app, "lineage-1", txn, TestActions.appendFile(app + txn + ".parquet"), RETRIES));
          }
        }
        return outcomes;
      }));
    }
    Set<Long> versions = new HashSet<>();
    for (Future<List<CommitOutcome>> w : writers) {
      for (CommitOutcome o : w.get(120, TimeUnit.SECONDS)) {
        long v = assertInstanceOf(CommitOutcome.Committed.class, o, o.toString()).tableVersion();
        assertTrue(versions.add(v), "version " + v + " committed twice");
      }
    }
    pool.shutdownNow();
    try (TableCommitClient reader = client(table)) {
      List<String> files = TestActions.dataFiles(reader.engine(), reader.latestSnapshot());
      assertEquals(2 * commitsEach, files.size(), files.toString());
      assertEquals(2 * commitsEach, new HashSet<>(files).size());
      assertEquals(Optional.of((long) commitsEach), reader.latestTransactionVersion("a"));
      assertEquals(Optional.of((long) commitsEach), reader.latestTransactionVersion("b"));
      UnityCatalogTarget.assertCatalogManagedAndPublished(reader);
    }
  }

  @Test
  void logCheckpointsAndChecksumsAreWrittenOnPublishedVersions() throws Exception {
    String table = target().newTableName("checkpoint");
    try (TableCommitClient c = target().client(table, CommitClientConfig.defaults().withCheckpointInterval(3))) {
      c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
      for (long txn = 1; txn <= 3; txn++) {
        c.commitWithRetries("app", "lineage-1", txn, TestActions.appendFile(txn + ".parquet"), RETRIES);
      }
      Path log = Path.of(new org.apache.hadoop.fs.Path(c.storageLocation()).toUri()).resolve("_delta_log");
      assertTrue(Files.exists(log.resolve(String.format("%020d.checkpoint.parquet", 3))));
      assertTrue(Files.exists(log.resolve(String.format("%020d.crc", 3))));
      assertEquals(3, c.latestSnapshot().getVersion());
    }
  }
}
