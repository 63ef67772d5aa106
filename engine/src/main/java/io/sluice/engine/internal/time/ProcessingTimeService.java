package io.sluice.engine.internal.time;

/**
 * The processing-time clock of a task and its timers. Callbacks run in the task thread, between
 * records, like any mailbox action. Injectable: tests drive a {@link ManualProcessingTimeService}.
 */
public interface ProcessingTimeService {

  /** Milliseconds since the epoch. */
  long currentProcessingTime();

  /** Calls {@code callback} in the task thread once processing time reached {@code time}. */
  ScheduledCallback registerTimer(long time, Callback callback);

  /** Runs when processing time reached a registered time. */
  @FunctionalInterface
  interface Callback {
    void onProcessingTime(long time) throws Exception;
  }

  /** A registered callback; cancelling one that already ran does nothing. */
  interface ScheduledCallback {
    void cancel();
  }
}
