package io.sluice.catalog;

import io.sluice.catalogserver.CatalogServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
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
    List<CommitLatency> fs;
    try (TableCommitClient c = TableCommitClients.fileSystem(dir.resolve("fs").toString(), config)) {
      fs = run(c, commits);
    }
    List<CommitLatency> uc;
    try (CatalogServer server = CatalogServer.builder(dir.resolve("catalog")).createMissingNamespaces(true).start();
        TableCommitClient c =
            TableCommitClients.unityCatalog(new UnityCatalogConfig(server.uri(), "t"), "main.bench.events", config)) {
      uc = run(c, commits);
    }
    System.out.println("commits: " + commits + " each, after 20 warm-up commits; milliseconds p50 / p99");
    report("filesystem", fs);
    report("unity catalog (embedded server)", uc);
  }

  private static List<CommitLatency> run(TableCommitClient c, int commits) throws Exception {
    c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    List<CommitLatency> latencies = new ArrayList<>();
    RetryPolicy retries = RetryPolicy.exponential(3, Duration.ofMillis(10));
    for (int txn = 1; txn <= commits + 20; txn++) {
      CommitOutcome o = c.commitWithRetries("bench", txn, TestActions.appendFile(txn + ".parquet"), retries);
      if (txn > 20) {
        latencies.add(((CommitOutcome.Committed) o).latency());
      }
    }
    return latencies;
  }

  private static void report(String name, List<CommitLatency> latencies) {
    System.out.printf(
        "%-32s total %s  staging %s  catalog %s  publishing %s%n",
        name,
        percentiles(latencies, CommitLatency::total),
        percentiles(latencies, CommitLatency::staging),
        percentiles(latencies, CommitLatency::catalog),
        percentiles(latencies, CommitLatency::publishing));
  }

  private static String percentiles(List<CommitLatency> latencies, Function<CommitLatency, Duration> phase) {
    List<Duration> sorted = latencies.stream().map(phase).sorted(Comparator.naturalOrder()).toList();
    return String.format(
        "%.1f / %.1f",
        sorted.get(sorted.size() / 2).toNanos() / 1e6,
        sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1).toNanos() / 1e6);
  }
}
