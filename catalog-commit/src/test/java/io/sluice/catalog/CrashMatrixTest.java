package io.sluice.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalog.CrashingWriter.CrashPoint;
import io.sluice.catalogserver.CatalogServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A writer JVM dies at each point of a catalog-managed commit; a restarted writer re-commits the
 * interrupted txn and goes on, and the table read through the catalog holds every txn once. Also: a
 * killed catalog server keeps its commits.
 */
class CrashMatrixTest {
  private static final RetryPolicy RETRIES = RetryPolicy.exponential(10, Duration.ofMillis(50));

  @TempDir Path dir;
  private UnityCatalogTarget target;
  private String table;

  @BeforeEach
  void start() throws Exception {
    target = UnityCatalogTarget.embedded(CatalogServer.builder(dir.resolve("catalog")).token("test-token").start());
    table = target.newTableName("crash");
  }

  @AfterEach
  void stop() {
    target.close();
  }

  @ParameterizedTest
  @EnumSource(CrashPoint.class)
  void aRestartedWriterConvergesWithNothingLostOrDuplicated(CrashPoint point) throws Exception {
    try (TableCommitClient c = client()) {
      c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    }
    Path log = dir.resolve("writer-" + point + ".log");
    Process writer = startWriter(point, log);
    if (point == CrashPoint.AFTER_ACCEPT_BEFORE_ANSWER) {
      assertTrue(target.server.faults().awaitHeld(1, Duration.ofSeconds(60)), Files.readString(log));
      writer.destroyForcibly(); // SIGKILL while the ratified commit's answer is on its way
      assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
      target.server.faults().releaseHeld();
    } else {
      assertTrue(writer.waitFor(60, TimeUnit.SECONDS), "writer did not die");
      assertEquals(CrashingWriter.HALT_STATUS, writer.exitValue(), Files.readString(log));
    }
    assertTrue(Files.readString(log).contains("txn 1: Committed"), Files.readString(log));
    assertFalse(Files.readString(log).contains("txn 2:"), Files.readString(log));
    boolean ratified = point != CrashPoint.AFTER_STAGING;
    assertEquals(ratified, target.trackedCommits(table).stream().anyMatch(c -> c.getVersion() == 2));

    try (TableCommitClient restarted = client()) {
      restarted.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
      CommitOutcome recommit =
          restarted.commitWithRetries("app", "lineage-1", 2, TestActions.appendFile("txn-2-restarted.parquet"), RETRIES);
      if (ratified) {
        assertEquals(new CommitOutcome.AlreadyCommitted(2), recommit);
      } else {
        assertEquals(2, assertInstanceOf(CommitOutcome.Committed.class, recommit).tableVersion());
      }
      CommitOutcome next =
          restarted.commitWithRetries("app", "lineage-1", 3, TestActions.appendFile("txn-3-restarted.parquet"), RETRIES);
      assertEquals(3, assertInstanceOf(CommitOutcome.Committed.class, next).tableVersion());

      assertEquals(Map.of(1L, 1, 2L, 1, 3L, 1), filesPerTxn(restarted));
      assertEquals(Optional.of(3L), restarted.latestTransactionVersion("app"));
      UnityCatalogTarget.assertCatalogManagedAndPublished(restarted);
      assertEquals(List.of(), target.trackedCommits(table));
      if (!ratified) {
        assertEquals(4, stagedFiles(restarted), "versions 1-3 and the orphan staged file of txn 2");
      }
    }
  }

  @Test
  void aKilledCatalogServerKeepsItsCommits() throws Exception {
    target.close();
    Path data = dir.resolve("child-catalog");
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Process server = startServer(data, port);
    try {
      UnityCatalogTarget child = UnityCatalogTarget.at(java.net.URI.create("http://127.0.0.1:" + port), "none", "main", "tests");
      try (TableCommitClient c = child.client(table, CommitClientConfig.defaults())) {
        c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
        c.commitWithRetries("app", "lineage-1", 1, TestActions.appendFile("txn-1.parquet"), RETRIES);
        c.commitWithRetries("app", "lineage-1", 2, TestActions.appendFile("txn-2.parquet"), RETRIES);
        server.destroyForcibly();
        assertTrue(server.waitFor(30, TimeUnit.SECONDS));
        server = startServer(data, port);
        assertEquals(Optional.of(2L), c.latestTransactionVersion("app"));
        CommitOutcome third = c.commitWithRetries("app", "lineage-1", 3, TestActions.appendFile("txn-3.parquet"), RETRIES);
        assertEquals(3, assertInstanceOf(CommitOutcome.Committed.class, third).tableVersion());
        assertEquals(Map.of(1L, 1, 2L, 1, 3L, 1), filesPerTxn(c));
        UnityCatalogTarget.assertCatalogManagedAndPublished(c);
      }
    } finally {
      server.destroyForcibly();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private TableCommitClient client() {
    return target.client(table, CommitClientConfig.defaults());
  }

  private Process startWriter(CrashPoint point, Path log) throws IOException {
    return javaProcess(
            log,
            CrashingWriter.class.getName(),
            target.uri.toString(), table, "app", "1", "3", point.name(), "2")
        .start();
  }

  /** Starts the server's main in a child JVM and returns once it serves. */
  private Process startServer(Path data, int port) throws Exception {
    Process p =
        javaProcess(CatalogServer.class.getName(), "--data-dir", data.toString(), "--port", String.valueOf(port))
            .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("listening on")) {
      seen.append(line).append('\n');
    }
    assertNotNull(line, "the server exited before serving: " + seen);
    Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "catalog-server-output");
    drain.setDaemon(true);
    drain.start();
    return p;
  }

  private static ProcessBuilder javaProcess(Path log, String mainClass, String... args) {
    return javaProcess(mainClass, args).redirectOutput(log.toFile());
  }

  private static ProcessBuilder javaProcess(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  /** How many live data files each txn contributed (file names start with {@code txn-<n>-}). */
  private static Map<Long, Integer> filesPerTxn(TableCommitClient c) throws IOException {
    Map<Long, Integer> perTxn = new TreeMap<>();
    for (String file : TestActions.dataFiles(c.engine(), c.latestSnapshot())) {
      perTxn.merge(Long.parseLong(file.split("[-.]")[1]), 1, Integer::sum);
    }
    return perTxn;
  }

  private static long stagedFiles(TableCommitClient c) throws IOException {
    Path staged =
        Path.of(new org.apache.hadoop.fs.Path(c.storageLocation()).toUri()).resolve("_delta_log/_staged_commits");
    try (Stream<Path> files = Files.list(staged)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json")).count();
    }
  }
}
