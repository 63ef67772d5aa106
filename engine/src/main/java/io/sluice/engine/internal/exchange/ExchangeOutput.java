package io.sluice.engine.internal.exchange;

/**
 * The producer side of an exchange: records leave in batches to the consumers' gates; a full
 * channel blocks (backpressure). Events (barriers, end of data, end of partition) go to every
 * consumer after the buffered records.
 */
public interface ExchangeOutput {

  void emit(Object record) throws InterruptedException;

  /** Sends buffered records now. */
  void flush() throws InterruptedException;

  /** Sends buffered records whose first record waits longer than {@code maxDelayNanos}. */
  void flushIfOlder(long nowNanos, long maxDelayNanos) throws InterruptedException;

  /** Flushes, then sends {@code event} to every consumer. */
  void broadcast(ChannelEvent event) throws InterruptedException;
}
