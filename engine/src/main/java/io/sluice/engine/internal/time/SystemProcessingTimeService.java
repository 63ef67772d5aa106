package io.sluice.engine.internal.time;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Wall-clock processing time. A timer thread shared by the job waits for each registered time,
 * then hands the callback to the task's mailbox, so it runs in the task thread.
 */
public final class SystemProcessingTimeService implements ProcessingTimeService {
  private final ScheduledExecutorService timerThread;
  private final Executor taskMailbox;

  public SystemProcessingTimeService(ScheduledExecutorService timerThread, Executor taskMailbox) {
    this.timerThread = timerThread;
    this.taskMailbox = taskMailbox;
  }

  @Override
  public long currentProcessingTime() {
    return System.currentTimeMillis();
  }

  @Override
  public ScheduledCallback registerTimer(long time, Callback callback) {
    long delay = Math.max(0, time - currentProcessingTime());
    Registered registered = new Registered();
    registered.future =
        timerThread.schedule(
            () -> taskMailbox.execute(() -> registered.run(callback, time)),
            delay,
            TimeUnit.MILLISECONDS);
    return registered;
  }

  private static final class Registered implements ScheduledCallback {
    volatile ScheduledFuture<?> future;
    volatile boolean cancelled;

    void run(Callback callback, long time) {
      if (!cancelled) {
        try {
          callback.onProcessingTime(time);
        } catch (Exception e) {
          throw new TimerFailedException(e);
        }
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      ScheduledFuture<?> f = future;
      if (f != null) {
        f.cancel(false);
      }
    }
  }

  /** A timer callback failed; the task fails with the cause. */
  public static final class TimerFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TimerFailedException(Exception cause) {
      super(cause.toString(), cause);
    }
  }
}
