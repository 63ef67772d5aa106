package io.sluice.engine.internal.time;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Processing time that moves only when told: {@link #advanceTo} sets the clock and runs, in the
 * calling thread and in time order, every callback that became due. For tests and harnesses.
 */
public final class ManualProcessingTimeService implements ProcessingTimeService {
  private long now;
  private long sequence;
  private final List<Pending> pending = new ArrayList<>();

  public ManualProcessingTimeService(long startMillis) {
    this.now = startMillis;
  }

  @Override
  public long currentProcessingTime() {
    return now;
  }

  @Override
  public ScheduledCallback registerTimer(long time, Callback callback) {
    Pending p = new Pending(time, sequence++, callback);
    pending.add(p);
    return () -> pending.remove(p);
  }

  /** Moves the clock to {@code time} (never backwards) and runs the callbacks now due. */
  public void advanceTo(long time) throws Exception {
    now = Math.max(now, time);
    while (true) {
      Pending next =
          pending.stream()
              .filter(p -> p.time <= now)
              .min(Comparator.comparingLong((Pending p) -> p.time).thenComparingLong(p -> p.seq))
              .orElse(null);
      if (next == null) {
        return;
      }
      pending.remove(next);
      next.callback.onProcessingTime(next.time);
    }
  }

  /** Callbacks registered and not yet run. */
  public int pendingCallbacks() {
    return pending.size();
  }

  private record Pending(long time, long seq, Callback callback) {}
}
