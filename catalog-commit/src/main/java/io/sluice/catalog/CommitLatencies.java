package io.sluice.catalog;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The latencies of many commits, summarized as p50 and p99 of each phase of {@link
 * CommitLatency}. Thread-safe. Percentiles are over the most recent {@link #WINDOW} commits, so a
 * pipeline that runs for months keeps bounded memory; {@link #count()} counts them all.
 */
public final class CommitLatencies {
  /** How many of the most recent commits the percentiles are computed over. */
  public static final int WINDOW = 10_000;

  private final CommitLatency[] recent = new CommitLatency[WINDOW];
  private final List<Consumer<CommitLatency>> listeners = new CopyOnWriteArrayList<>();
  private long count;
  private volatile long lastTableVersion = -1;

  /** Records the latency of the commit that made {@code tableVersion}. */
  public void record(long tableVersion, CommitLatency latency) {
    synchronized (this) {
      recent[(int) (count % WINDOW)] = latency;
      count++;
      lastTableVersion = Math.max(lastTableVersion, tableVersion);
    }
    listeners.forEach(listener -> listener.accept(latency));
  }

  /** Calls {@code listener} with each latency recorded from now on (e.g. to feed a histogram). */
  public void addListener(Consumer<CommitLatency> listener) {
    listeners.add(listener);
  }

  /** Removes a listener added before. */
  public void removeListener(Consumer<CommitLatency> listener) {
    listeners.remove(listener);
  }

  /** The newest table version a recorded commit made, or -1 before the first. */
  public long lastTableVersion() {
    return lastTableVersion;
  }

  /** Commits recorded so far. */
  public synchronized long count() {
    return count;
  }

  /**
   * The nearest-rank {@code quantile} (0.5 for the median) of one phase over the recent commits.
   *
   * @throws IllegalStateException when no commit was recorded
   */
  public synchronized Duration percentile(
      Function<CommitLatency, Duration> phase, double quantile) {
    if (count == 0) {
      throw new IllegalStateException("no commit recorded");
    }
    if (!(quantile > 0 && quantile <= 1)) {
      throw new IllegalArgumentException("quantile must be in (0, 1]: " + quantile);
    }
    int retained = (int) Math.min(count, WINDOW);
    long[] nanos = new long[retained];
    for (int i = 0; i < retained; i++) {
      nanos[i] = phase.apply(recent[i]).toNanos();
    }
    Arrays.sort(nanos);
    return Duration.ofNanos(nanos[(int) Math.ceil(quantile * retained) - 1]);
  }

  /**
   * p50/p99 of each phase in milliseconds: {@code total 12.3/40.1 ms, staging 2.0/3.1 ms, catalog
   * 6.2/30.0 ms, publishing 3.9/7.5 ms}; {@code no commits} when none was recorded.
   */
  public synchronized String summary() {
    if (count == 0) {
      return "no commits";
    }
    return String.join(
        ", ",
        phase("total", CommitLatency::total),
        phase("staging", CommitLatency::staging),
        phase("catalog", CommitLatency::catalog),
        phase("publishing", CommitLatency::publishing));
  }

  private String phase(String name, Function<CommitLatency, Duration> phase) {
    return String.format(
        Locale.ROOT,
        "%s %.1f/%.1f ms",
        name,
        percentile(phase, 0.5).toNanos() / 1e6,
        percentile(phase, 0.99).toNanos() / 1e6);
  }
}
