package io.sluice.engine.time;

/**
 * Timers of the current key. A timer fires once, calling {@code onTimer} with the key that
 * registered it; registering the same time twice for a key yields one timer. Timers are part of
 * the keyed state: they are checkpointed, restored and redistributed with their key.
 *
 * <p>Event time: until sources emit watermarks, the watermark stays at {@link Long#MIN_VALUE}
 * while input flows and jumps to {@link Long#MAX_VALUE} when all input ended, which fires every
 * event-time timer before the final checkpoint of a bounded job.
 */
public interface TimerService {

  /** The processing time now, in epoch milliseconds. */
  long currentProcessingTime();

  /** The current watermark, in epoch milliseconds. */
  long currentWatermark();

  /** Fires {@code onTimer} once processing time reaches {@code time}. */
  void registerProcessingTimeTimer(long time);

  /** Fires {@code onTimer} once the watermark reaches {@code time}. */
  void registerEventTimeTimer(long time);

  void deleteProcessingTimeTimer(long time);

  void deleteEventTimeTimer(long time);
}
