package io.sluice.service.internal.serve;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each pipeline's records read and lag, sampled once a second and kept for {@link #KEPT} seconds:
 * the records per second over the last {@link #WINDOW} samples, and the history the dashboard
 * charts.
 */
public final class RateSampler {
  static final int WINDOW = 10;
  static final int KEPT = 300;
  private static final int HISTORY_STEP = 5;

  private record Sample(long nanos, Instant at, long records, Long lag) {}

  /** A point of a pipeline's history: records per second since the point before, and the lag. */
  public record Point(Instant at, long recordsPerSecond, Long lag) {}

  private final Map<ManagedPipeline, Deque<Sample>> samples = new ConcurrentHashMap<>();

  /** Takes one sample of every pipeline; forgets those no longer listed. */
  void sample(Iterable<ManagedPipeline> pipelines) {
    long now = System.nanoTime();
    Instant at = Instant.now();
    Set<ManagedPipeline> seen = new HashSet<>();
    for (ManagedPipeline p : pipelines) {
      seen.add(p);
      Deque<Sample> kept = samples.computeIfAbsent(p, k -> new ArrayDeque<>());
      Long lag = p.lag().isPresent() ? p.lag().getAsLong() : null;
      synchronized (kept) {
        kept.addLast(new Sample(now, at, p.totals().recordsRead(), lag));
        while (kept.size() > KEPT) {
          kept.removeFirst();
        }
      }
    }
    samples.keySet().retainAll(seen);
  }

  /** Records per second over the last {@link #WINDOW} seconds, 0 until two samples exist. */
  public long recordsPerSecond(ManagedPipeline p) {
    List<Sample> kept = snapshot(p);
    if (kept.size() < 2) {
      return 0;
    }
    return rate(kept.get(Math.max(0, kept.size() - 1 - WINDOW)), kept.get(kept.size() - 1));
  }

  /** The last minutes, a point every {@link #HISTORY_STEP} seconds, oldest first. */
  public List<Point> history(ManagedPipeline p) {
    List<Sample> kept = snapshot(p);
    List<Point> points = new ArrayList<>();
    for (int i = kept.size() - 1; i - HISTORY_STEP >= 0; i -= HISTORY_STEP) {
      Sample to = kept.get(i);
      points.add(0, new Point(to.at(), rate(kept.get(i - HISTORY_STEP), to), to.lag()));
    }
    return points;
  }

  private List<Sample> snapshot(ManagedPipeline p) {
    Deque<Sample> kept = samples.get(p);
    if (kept == null) {
      return List.of();
    }
    synchronized (kept) {
      return new ArrayList<>(kept);
    }
  }

  private static long rate(Sample from, Sample to) {
    double seconds = (to.nanos() - from.nanos()) / 1e9;
    return seconds <= 0 ? 0 : Math.max(0, Math.round((to.records() - from.records()) / seconds));
  }
}
