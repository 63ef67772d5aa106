package io.sluice.service.internal.serve;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records read per second of each pipeline over about the last {@link #WINDOW} samples, from the
 * pipelines' monotonic record counts sampled once a second.
 */
public final class RateSampler {
  static final int WINDOW = 10;

  private record Sample(long nanos, long records) {}

  private final Map<ManagedPipeline, Deque<Sample>> samples = new ConcurrentHashMap<>();

  /** Takes one sample of every pipeline; forgets those no longer listed. */
  void sample(Iterable<ManagedPipeline> pipelines) {
    long now = System.nanoTime();
    java.util.Set<ManagedPipeline> seen = new java.util.HashSet<>();
    for (ManagedPipeline p : pipelines) {
      seen.add(p);
      Deque<Sample> window = samples.computeIfAbsent(p, k -> new ArrayDeque<>());
      synchronized (window) {
        window.addLast(new Sample(now, p.totals().recordsRead()));
        while (window.size() > WINDOW + 1) {
          window.removeFirst();
        }
      }
    }
    samples.keySet().retainAll(seen);
  }

  /** Records per second over the window, 0 until two samples exist. */
  public long recordsPerSecond(ManagedPipeline p) {
    Deque<Sample> window = samples.get(p);
    if (window == null) {
      return 0;
    }
    synchronized (window) {
      if (window.size() < 2) {
        return 0;
      }
      Sample first = window.getFirst();
      Sample last = window.getLast();
      double seconds = (last.nanos() - first.nanos()) / 1e9;
      return seconds <= 0 ? 0 : Math.round((last.records() - first.records()) / seconds);
    }
  }
}
