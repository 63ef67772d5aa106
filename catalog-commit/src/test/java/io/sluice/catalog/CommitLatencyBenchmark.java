package io.sluice.catalog;

import io.sluice.catalogserver.CatalogServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commit latency, p50 and p99 of each phase, of a filesystem table and of a Unity Catalog table
 * on the embedded server, in the same JVM. Not a test: run it with {@code
 * -Dsluice.bench.commits=200 -Dtest=CommitLatencyBenchmark}.
 */
@EnabledIfSystemProperty(named = "sluice.bench.commits", matches = "\\d+")
class CommitLatencyBenchmark {
  @TempDir Path dir;

  @Test
  void measure() throws Exception {
    int commits = Integer.getInteger("sluice.bench.commits");
    CommitClientConfig config = CommitClientConfig.defaults();
    CommitLatencies fs;
    try (TableCommitClient c = TableCommitClients.fileSystem(dir.resolve("fs").toString(), config)) {
      fs = run(c, commits);
    }
    CommitLatencies uc;
    try (CatalogServer server = CatalogServer.builder(dir.resolve("catalog")).createMissingNamespaces(true).start();
        TableCommitClient c =
            TableCommitClients.unityCatalog(new UnityCatalogConfig(server.uri(), "t"), "main.bench.events", config)) {
      uc = run(c, commits);
    }
    System.out.println("commits: " + commits + " each, after 20 warm-up commits; p50/p99");
    System.out.printf("%-32s %s%n", "filesystem", fs.summary());
    System.out.printf("%-32s %s%n", "unity catalog (embedded server)", uc.summary());
  }

  private static CommitLatencies run(TableCommitClient c, int commits) throws Exception {
    c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    CommitLatencies latencies = new CommitLatencies();
    RetryPolicy retries = RetryPolicy.exponential(3, Duration.ofMillis(10));
    for (int txn = 1; txn <= commits + 20; txn++) {
      CommitOutcome o = c.commitWithRetries("bench", "lineage-1", txn, TestActions.appendFile(txn + ".parquet"), retries);
      if (txn > 20) {
        latencies.record(((CommitOutcome.Committed) o).tableVersion(), ((CommitOutcome.Committed) o).latency());
      }
    }
    return latencies;
  }
}
