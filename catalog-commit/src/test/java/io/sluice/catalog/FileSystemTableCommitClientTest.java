package io.sluice.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.TableManager;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemTableCommitClientTest {
  @TempDir Path dir;

  private TableCommitClient client(Path table) {
    return TableCommitClients.fileSystem(table.toString(), CommitClientConfig.defaults());
  }

  private static Set<String> deltaFiles(Path table) throws Exception {
    try (Stream<Path> s = Files.list(table.resolve("_delta_log"))) {
      Set<String> names = new HashSet<>();
      s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json")).forEach(names::add);
      return names;
    }
  }

  @Test
  void createsTableAndReopensIt() {
    Path table = dir.resolve("t");
    TableCommitClient c = client(table);
    assertEquals(Optional.empty(), c.open(TableDefinition.of(TestActions.SCHEMA, List.of())));
    assertFalse(Files.exists(table), "open never creates");
    OpenedTable created = c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    assertTrue(created.created());
    assertEquals(0, created.version());
    assertTrue(created.storageLocation().startsWith("file:"), created.storageLocation());
    OpenedTable reopened = client(table).openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    assertFalse(reopened.created());
    assertEquals(reopened, client(table).open(TableDefinition.of(TestActions.SCHEMA, List.of())).orElseThrow());
    assertEquals(Optional.empty(), c.latestTransactionVersion("app"));
  }

  @Test
  void sameTxnTwiceIsAlreadyCommittedAndPublishesOnce() throws Exception {
    Path table = dir.resolve("t");
    TableCommitClient c = client(table);
    c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));

    CommitOutcome first = c.commit("pipe/t", "lineage-1", 7, TestActions.appendFile("a.parquet"));
    assertEquals(1, assertInstanceOf(CommitOutcome.Committed.class, first).tableVersion());
    CommitOutcome second = c.commit("pipe/t", "lineage-1", 7, TestActions.appendFile("b.parquet"));
    assertEquals(new CommitOutcome.AlreadyCommitted(7), second);
    // An older version of the same appId is also already committed.
    assertEquals(
        new CommitOutcome.AlreadyCommitted(7), c.commit("pipe/t", "lineage-1", 3, TestActions.appendFile("c.parquet")));

    assertEquals(Set.of(String.format("%020d.json", 0), String.format("%020d.json", 1)), deltaFiles(table));
    assertEquals(List.of("a.parquet"), TestActions.dataFiles(c.engine(), c.storageLocation()));
    assertEquals(Optional.of(7L), c.latestTransactionVersion("pipe/t"));
    assertEquals(Optional.empty(), c.latestTransactionVersion("other"));
  }

  @Test
  void racingCommittersOnTheSameVersionBothLandInDistinctVersions() throws Exception {
    Path table = dir.resolve("t");
    client(table).openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    TableCommitClient a = client(table);
    TableCommitClient b = client(table);
    // Both transactions are built on version 0 before either publishes: they race for version 1.
    List<CommitOutcome> outcomes = race(a, "app-a", b, "app-b", 1);
    Set<Long> versions = new HashSet<>();
    for (CommitOutcome o : outcomes) {
      assertInstanceOf(CommitOutcome.Committed.class, o, o.toString());
      versions.add(((CommitOutcome.Committed) o).tableVersion());
    }
    assertEquals(Set.of(1L, 2L), versions, "the loser was rebased onto the winner");
    List<String> files = new ArrayList<>(TestActions.dataFiles(a.engine(), a.storageLocation()));
    Collections.sort(files);
    assertEquals(List.of("a.parquet", "b.parquet"), files);
    assertEquals(Optional.of(1L), a.latestTransactionVersion("app-a"));
    assertEquals(Optional.of(1L), a.latestTransactionVersion("app-b"));
  }

  @Test
  void racingTheSameTxnPublishesItOnce() throws Exception {
    Path table = dir.resolve("t");
    client(table).openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    TableCommitClient a = client(table);
    TableCommitClient b = client(table);
    List<CommitOutcome> outcomes = race(a, "same", b, "same", 5);
    assertEquals(1, outcomes.stream().filter(o -> o instanceof CommitOutcome.Committed).count(), outcomes.toString());
    assertEquals(1, outcomes.stream().filter(o -> o instanceof CommitOutcome.AlreadyCommitted).count(), outcomes.toString());
    assertEquals(1, TestActions.dataFiles(a.engine(), a.storageLocation()).size());
    assertEquals(2, deltaFiles(table).size());
  }

  @Test
  void manyConcurrentWritersNeverLoseOrOverwriteACommit() throws Exception {
    Path table = dir.resolve("t");
    client(table).openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    int writers = 4;
    int commitsEach = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<List<CommitOutcome>>> futures = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      TableCommitClient c =
          TableCommitClients.fileSystem(
              table.toString(), CommitClientConfig.defaults().withCheckpointInterval(0));
      futures.add(pool.submit(() -> {
        List<CommitOutcome> out = new ArrayList<>();
        for (int i = 1; i <= commitsEach; i++) {
          CommitOutcome o;
          do { // ConflictRetryable may be retried as is
            o = c.commit("w" + writer, "lineage-1", i, TestActions.appendFile("w" + writer + "-" + i + ".parquet"));
          } while (o instanceof CommitOutcome.ConflictRetryable);
          out.add(o);
        }
        return out;
      }));
    }
    Set<Long> versions = new HashSet<>();
    for (Future<List<CommitOutcome>> f : futures) {
      for (CommitOutcome o : f.get(60, TimeUnit.SECONDS)) {
        assertInstanceOf(CommitOutcome.Committed.class, o, o.toString());
        assertTrue(versions.add(((CommitOutcome.Committed) o).tableVersion()), "duplicate version " + o);
      }
    }
    pool.shutdownNow();
    int total = writers * commitsEach;
    assertEquals(total, versions.size());
    assertEquals(total + 1, deltaFiles(table).size());
    TableCommitClient reader = client(table);
    assertEquals(total, TestActions.dataFiles(reader.engine(), reader.storageLocation()).size());
    for (int w = 0; w < writers; w++) {
      assertEquals(Optional.of((long) commitsEach), reader.latestTransactionVersion("w" + w));
    }
    try (Stream<Path> s = Files.list(table.resolve("_delta_log"))) {
      List<String> unexpected =
          s.map(p -> p.getFileName().toString())
              .filter(n -> n.contains(".tmp"))
              .toList();
      assertEquals(List.of(), unexpected, "temporary files left behind");
    }
  }

  @Test
  void schemaMismatchNamesTableAndField() {
    Path table = dir.resolve("t");
    client(table).openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    StructType otherType =
        new StructType().add("id", IntegerType.INTEGER, false).add("name", StringType.STRING, true);
    TableDefinitionMismatchException e =
        assertThrows(
            TableDefinitionMismatchException.class,
            () -> client(table).openOrCreate(TableDefinition.of(otherType, List.of())));
    assertTrue(e.getMessage().contains(table.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("'id'"), e.getMessage());
    assertTrue(e.getMessage().contains("long") && e.getMessage().contains("integer"), e.getMessage());
    assertEquals("id", e.field());

    StructType extra = TestActions.SCHEMA.add("extra", StringType.STRING, true);
    e = assertThrows(
        TableDefinitionMismatchException.class,
        () -> client(table).openOrCreate(TableDefinition.of(extra, List.of())));
    assertTrue(e.getMessage().contains("'extra'"), e.getMessage());

    e = assertThrows(
        TableDefinitionMismatchException.class,
        () -> client(table).openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of("name"))));
    assertTrue(e.getMessage().contains("partition"), e.getMessage());
    assertEquals("name", e.field());
  }

  @Test
  void partitionedTableDefinitionIsVerified() {
    Path table = dir.resolve("p");
    client(table).openOrCreate(new TableDefinition(TestActions.SCHEMA, List.of("name"), Map.of("k", "v")));
    assertEquals(
        List.of("name"),
        TableManager.loadSnapshot(table.toString()).build(client(table).engine()).getPartitionColumnNames());
    assertFalse(client(table).openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of("name"))).created());
    assertThrows(
        TableDefinitionMismatchException.class,
        () -> client(table).openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of())));
  }

  @Test
  void writesLogCheckpointEveryNCommits() throws Exception {
    Path table = dir.resolve("t");
    TableCommitClient c =
        TableCommitClients.fileSystem(table.toString(), CommitClientConfig.defaults().withCheckpointInterval(3));
    c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    Path log = table.resolve("_delta_log");
    for (int i = 1; i <= 2; i++) {
      c.commit("app", "lineage-1", i, TestActions.appendFile(i + ".parquet"));
    }
    assertFalse(Files.exists(log.resolve("_last_checkpoint")));
    c.commit("app", "lineage-1", 3, TestActions.appendFile("3.parquet"));
    assertTrue(Files.exists(log.resolve(String.format("%020d.checkpoint.parquet", 3))));
    assertTrue(Files.readString(log.resolve("_last_checkpoint")).contains("\"version\":3"));
    for (int i = 4; i <= 6; i++) {
      c.commit("app", "lineage-1", i, TestActions.appendFile(i + ".parquet"));
    }
    assertTrue(Files.exists(log.resolve(String.format("%020d.checkpoint.parquet", 6))));
    // The txn survives in the checkpoint: drop the JSON commits before it and re-read.
    for (int v = 0; v < 6; v++) {
      Files.delete(log.resolve(String.format("%020d.json", v)));
    }
    TableCommitClient fresh = client(table);
    assertEquals(Optional.of(6L), fresh.latestTransactionVersion("app"));
    assertEquals(6, TestActions.dataFiles(fresh.engine(), fresh.storageLocation()).size());
  }

  @Test
  void aCheckpointKeepsTheChecksumsOfTheVersionsStillInTheLog() throws Exception {
    Path table = dir.resolve("t");
    TableCommitClient c =
        TableCommitClients.fileSystem(table.toString(), CommitClientConfig.defaults().withCheckpointInterval(3));
    c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    for (int i = 1; i <= 3; i++) {
      c.commit("app", "lineage-1", i, TestActions.appendFile(i + ".parquet"));
    }
    Path log = table.resolve("_delta_log");
    assertTrue(Files.exists(log.resolve(String.format("%020d.checkpoint.parquet", 3))));
    // Nothing expired: every version is still in the log, 0 (whose 0.crc lists before 0.json) too.
    for (int v = 0; v <= 3; v++) {
      assertTrue(Files.exists(log.resolve(String.format("%020d.json", v))), "version " + v);
      assertTrue(Files.exists(log.resolve(String.format("%020d.crc", v))), "checksum of version " + v);
    }
  }

  @Test
  void everyCommitRecordsItsLineageAndAnotherLineageOfTheAppIdIsRefused() throws Exception {
    Path table = dir.resolve("t");
    TableCommitClient c = client(table);
    c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    assertEquals(new AppTransaction("pipe/t", Optional.empty(), Optional.empty()), c.transaction("pipe/t"));
    assertInstanceOf(CommitOutcome.Committed.class, c.commit("pipe/t", "L1", 1, TestActions.appendFile("1.parquet")));
    assertEquals(new AppTransaction("pipe/t", Optional.of(1L), Optional.of("L1")), c.transaction("pipe/t"));
    long version = c.latestSnapshot().getVersion();

    // Another history of the appId: neither a newer txn (it would publish other data under it)
    // nor an older one (it would be skipped as already committed) goes through.
    for (long txn : new long[] {1, 2}) {
      LineageMismatchException e =
          assertThrows(
              LineageMismatchException.class,
              () -> c.commit("pipe/t", "L2", txn, TestActions.appendFile("other.parquet")));
      assertEquals("L1", e.tableLineage());
      assertEquals("L2", e.committingLineage());
      assertTrue(e.getMessage().contains(table.toString()) && e.getMessage().contains("pipe/t"), e.getMessage());
    }
    assertThrows(
        LineageMismatchException.class,
        () -> c.commitWithRetries("pipe/t", "L2", 3, TestActions.appendFile("other.parquet"), RetryPolicy.exponential(3, java.time.Duration.ofMillis(1))));
    assertEquals(version, c.latestSnapshot().getVersion(), "nothing published");

    // Other appIds have their own lineage; the table's lineage goes on.
    assertInstanceOf(CommitOutcome.Committed.class, c.commit("other", "L2", 1, TestActions.appendFile("o.parquet")));
    assertInstanceOf(CommitOutcome.Committed.class, c.commit("pipe/t", "L1", 2, TestActions.appendFile("2.parquet")));
    assertEquals(Optional.of("L1"), c.transaction("pipe/t").lineage());
    assertEquals(Optional.of("L2"), c.transaction("other").lineage());
    List<String> files = new ArrayList<>(TestActions.dataFiles(c.engine(), c.storageLocation()));
    Collections.sort(files);
    assertEquals(List.of("1.parquet", "2.parquet", "o.parquet"), files);
  }

  @Test
  void exactlyOneOfManyConcurrentLineageClaimsWins() throws Exception {
    Path table = dir.resolve("t");
    client(table).openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    int claimants = 6;
    CyclicBarrier start = new CyclicBarrier(claimants);
    ExecutorService pool = Executors.newFixedThreadPool(claimants);
    List<Future<AppTransaction>> claims = new ArrayList<>();
    for (int i = 0; i < claimants; i++) {
      String lineage = "L" + i;
      TableCommitClient c = client(table);
      claims.add(pool.submit(() -> {
        await(start);
        return c.claimLineage("pipe/t", lineage);
      }));
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    List<String> winners = new ArrayList<>();
    Set<String> namedWinners = new HashSet<>();
    for (Future<AppTransaction> claim : claims) {
      try {
        winners.add(claim.get().lineage().orElseThrow());
      } catch (java.util.concurrent.ExecutionException e) {
        namedWinners.add(assertInstanceOf(LineageMismatchException.class, e.getCause()).tableLineage());
      }
    }
    assertEquals(1, winners.size(), winners.toString());
    assertEquals(Set.of(winners.get(0)), namedWinners, "every loser names the winner");
    TableCommitClient c = client(table);
    assertEquals(Optional.of(winners.get(0)), c.transaction("pipe/t").lineage());
    assertEquals(c.transaction("pipe/t"), c.claimLineage("pipe/t", winners.get(0)), "claiming again changes nothing");
    assertEquals(2, deltaFiles(table).size(), "one claim commit");
  }

  @Test
  void racingLineagesOfOneAppIdPublishOnlyOne() throws Exception {
    Path table = dir.resolve("t");
    client(table).openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    TableCommitClient a = client(table);
    TableCommitClient b = client(table);
    // Both build txn 1 on version 0: the loser must not take the winner's txn as its own.
    List<Future<CommitOutcome>> both = race(a, "pipe/t", "L1", b, "pipe/t", "L2", 1);
    List<CommitOutcome> committed = new ArrayList<>();
    List<Throwable> refused = new ArrayList<>();
    for (Future<CommitOutcome> f : both) {
      try {
        committed.add(f.get());
      } catch (java.util.concurrent.ExecutionException e) {
        refused.add(e.getCause());
      }
    }
    assertEquals(1, committed.size(), committed.toString());
    assertInstanceOf(CommitOutcome.Committed.class, committed.get(0));
    assertEquals(1, refused.size(), refused.toString());
    assertInstanceOf(LineageMismatchException.class, refused.get(0));
    assertEquals(1, TestActions.dataFiles(a.engine(), a.storageLocation()).size());
  }

  @Test
  void tableWrittenBeforeLineagesTakesTheFirstLineageThatCommits() throws Exception {
    Path table = dir.resolve("t");
    TableCommitClient c = client(table);
    io.delta.kernel.engine.Engine engine = c.engine();
    // As an older writer left it: no domainMetadata feature, txn(pipe/t, 3) without a lineage.
    TableManager.buildCreateTableTransaction(table.toString(), TestActions.SCHEMA, "old")
        .build(engine)
        .commit(engine, io.delta.kernel.utils.CloseableIterable.emptyIterable());
    io.delta.kernel.Transaction old =
        TableManager.loadSnapshot(table.toString())
            .build(engine)
            .buildUpdateTableTransaction("old", io.delta.kernel.Operation.STREAMING_UPDATE)
            .withTransactionId("pipe/t", 3)
            .build(engine);
    old.commit(engine, TestActions.appendFile("3.parquet").produce(engine, old.getTransactionState(engine)));
    assertFalse(io.delta.kernel.internal.tablefeatures.TableFeatures.isDomainMetadataSupported(c.latestSnapshot().getProtocol()));
    assertEquals(new AppTransaction("pipe/t", Optional.of(3L), Optional.empty()), c.transaction("pipe/t"));

    assertEquals(new CommitOutcome.AlreadyCommitted(3), c.commit("pipe/t", "L1", 3, TestActions.appendFile("again.parquet")));
    assertInstanceOf(CommitOutcome.Committed.class, c.commit("pipe/t", "L1", 4, TestActions.appendFile("4.parquet")));
    assertTrue(io.delta.kernel.internal.tablefeatures.TableFeatures.isDomainMetadataSupported(c.latestSnapshot().getProtocol()));
    assertEquals(new AppTransaction("pipe/t", Optional.of(4L), Optional.of("L1")), c.transaction("pipe/t"));
    assertThrows(LineageMismatchException.class, () -> c.commit("pipe/t", "L2", 5, TestActions.appendFile("5.parquet")));
    List<String> files = new ArrayList<>(TestActions.dataFiles(engine, c.storageLocation()));
    Collections.sort(files);
    assertEquals(List.of("3.parquet", "4.parquet"), files);
  }

  @Test
  void checkpointsDeleteLogFilesOlderThanTheLogRetentionThatNoVersionNeeds() throws Exception {
    Path table = dir.resolve("t");
    TableCommitClient c =
        TableCommitClients.fileSystem(table.toString(), CommitClientConfig.defaults().withCheckpointInterval(5));
    c.openOrCreate(new TableDefinition(
        TestActions.SCHEMA, List.of(), Map.of("delta.logRetentionDuration", "interval 1 hours")));
    Path log = table.resolve("_delta_log");
    for (int i = 1; i <= 12; i++) {
      c.commit("app", "lineage-1", i, TestActions.appendFile(i + ".parquet"));
    }
    // Versions 0..7 (and the checkpoint at 5) become two hours old: past the retention.
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
    try (Stream<Path> files = Files.list(log)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.matches("\\d{20}\\..*") && Long.parseLong(name.substring(0, 20)) <= 7) {
          Files.setLastModifiedTime(file, old);
        }
      }
    }
    for (int i = 13; i <= 15; i++) {
      c.commit("app", "lineage-1", i, TestActions.appendFile(i + ".parquet"));
    }
    // The checkpoint at 15 cleaned up: what only versions before the checkpoint at 5 needed went;
    // the expired commits 5..7 stay, as version 7 is the one of the retention cutoff.
    Set<String> left;
    try (Stream<Path> files = Files.list(log)) {
      left = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\..*"))
          .collect(java.util.stream.Collectors.toSet());
    }
    for (int v = 0; v <= 15; v++) {
      String json = String.format("%020d.json", v);
      String crc = String.format("%020d.crc", v);
      assertEquals(v >= 5, left.contains(json), json);
      assertEquals(v >= 5, left.contains(crc), crc);
    }
    assertTrue(left.containsAll(Set.of(
        String.format("%020d.checkpoint.parquet", 5), String.format("%020d.checkpoint.parquet", 15))));
    for (long v = 5; v <= 15; v++) {
      assertEquals(v, TestActions.dataFiles(c.engine(),
          TableManager.loadSnapshot(table.toString()).atVersion(v).build(c.engine())).size());
    }
    assertThrows(RuntimeException.class,
        () -> TableManager.loadSnapshot(table.toString()).atVersion(4).build(c.engine()));
    assertEquals(Optional.of(15L), client(table).latestTransactionVersion("app"));
  }

  @Test
  void commitWithoutTableFails() {
    TableCommitClient c = client(dir.resolve("missing"));
    assertThrows(TableCommitException.class, () -> c.commit("a", "lineage-1", 1, TestActions.appendFile("x.parquet")));
  }

  /**
   * Commits a.parquet through {@code a} and b.parquet through {@code b} at once, both in lineage
   * "lineage-1": both transactions are built before either publishes. Returns both outcomes, a's
   * first.
   */
  private static List<CommitOutcome> race(
      TableCommitClient a, String appA, TableCommitClient b, String appB, long txnVersion)
      throws Exception {
    List<Future<CommitOutcome>> both =
        race(a, appA, "lineage-1", b, appB, "lineage-1", txnVersion);
    return List.of(both.get(0).get(), both.get(1).get());
  }

  /** As {@link #race(TableCommitClient, String, TableCommitClient, String, long)}; both done. */
  private static List<Future<CommitOutcome>> race(
      TableCommitClient a,
      String appA,
      String lineageA,
      TableCommitClient b,
      String appB,
      String lineageB,
      long txnVersion)
      throws Exception {
    CyclicBarrier bothBuilt = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<CommitOutcome> fa =
          pool.submit(() -> a.commit(appA, lineageA, txnVersion, (e, s) -> {
            await(bothBuilt);
            return TestActions.appendFile("a.parquet").produce(e, s);
          }));
      Future<CommitOutcome> fb =
          pool.submit(() -> b.commit(appB, lineageB, txnVersion, (e, s) -> {
            await(bothBuilt);
            return TestActions.appendFile("b.parquet").produce(e, s);
          }));
      pool.shutdown();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
      return List.of(fa, fb);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
