package io.sluice.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommitLatenciesTest {
  private static CommitLatency millis(long staging, long catalog, long publishing) {
    return new CommitLatency(
        Duration.ofMillis(staging),
        Duration.ofMillis(catalog),
        Duration.ofMillis(publishing),
        Duration.ofMillis(staging + catalog + publishing));
  }

  @Test
  void nearestRankPercentilesOfEachPhase() {
    CommitLatencies latencies = new CommitLatencies();
    for (int i = 100; i >= 1; i--) { // recorded out of order
      latencies.record(0, millis(i, 2 * i, 0));
    }
    assertEquals(100, latencies.count());
    assertEquals(Duration.ofMillis(50), latencies.percentile(CommitLatency::staging, 0.5));
    assertEquals(Duration.ofMillis(99), latencies.percentile(CommitLatency::staging, 0.99));
    assertEquals(Duration.ofMillis(200), latencies.percentile(CommitLatency::catalog, 1));
    assertEquals(
        "total 150.0/297.0 ms, staging 50.0/99.0 ms, catalog 100.0/198.0 ms, publishing 0.0/0.0 ms",
        latencies.summary());
  }

  @Test
  void percentilesCoverTheMostRecentWindowAndCountEveryCommit() {
    CommitLatencies latencies = new CommitLatencies();
    for (int i = 0; i < CommitLatencies.WINDOW; i++) {
      latencies.record(0, millis(1_000, 0, 0)); // pushed out of the window below
    }
    for (int i = 0; i < CommitLatencies.WINDOW; i++) {
      latencies.record(0, millis(1, 0, 0));
    }
    assertEquals(2L * CommitLatencies.WINDOW, latencies.count());
    assertEquals(Duration.ofMillis(1), latencies.percentile(CommitLatency::staging, 1));
  }

  @Test
  void noCommitsSaySo() {
    CommitLatencies latencies = new CommitLatencies();
    assertEquals("no commits", latencies.summary());
    assertThrows(IllegalStateException.class, () -> latencies.percentile(CommitLatency::total, 0.5));
  }
}
