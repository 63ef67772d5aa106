package io.sluice.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.engine.testing.TestSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

final class JobTestSupport {
  private JobTestSupport() {}

  static JobConfig config(Path dir) {
    return JobConfig.of("test-pipeline", dir)
        .withCheckpointInterval(Duration.ofMillis(20))
        .withRestarts(0, Duration.ofMillis(10))
        .withExchange(64, 4);
  }

  /** The sink published exactly 0..n-1: nothing lost, nothing twice. */
  static void assertExactly(long n, TestSink sink) {
    List<Long> got = sink.publishedSorted();
    if (got.size() != n) {
      java.util.BitSet seen = new java.util.BitSet();
      StringBuilder dup = new StringBuilder();
      for (long v : got) {
        if (seen.get((int) v) && dup.length() < 200) {
          dup.append(v).append(' ');
        }
        seen.set((int) v);
      }
      StringBuilder missing = new StringBuilder();
      int i = seen.nextClearBit(0);
      int shown = 0;
      while (i < n && shown++ < 20) {
        missing.append(i).append(' ');
        i = seen.nextClearBit(i + 1);
      }
      throw new AssertionError("published " + got.size() + " of " + n + "; missing: " + missing
          + (seen.cardinality() < n ? "(" + (n - seen.cardinality()) + " in all)" : "")
          + "; duplicates: " + dup + "; commit calls " + sink.commitCalls
          + "; discards " + sink.discardCalls + "; violations " + sink.violations);
    }
    for (int i = 0; i < got.size(); i++) {
      if (got.get(i) != i) {
        throw new AssertionError(
            "published values differ at index " + i + ": " + got.get(i)
                + (i > 0 && got.get(i).equals(got.get(i - 1)) ? " (duplicate)" : " (missing " + i + ")"));
      }
    }
    assertEquals(List.of(), sink.violations, "sink contract violations");
  }
}
