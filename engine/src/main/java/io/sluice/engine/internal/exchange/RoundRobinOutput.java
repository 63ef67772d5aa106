package io.sluice.engine.internal.exchange;

import java.util.Arrays;

/**
 * Round-robin distribution, batch by batch: fills a batch of {@code batchSize} records and sends
 * it to the next consumer in turn. With a single consumer it is a pointwise forward.
 */
public final class RoundRobinOutput implements ExchangeOutput {
  private final InputGate[] targets;
  private final int channel;
  private final int batchSize;
  private Object[] buffer;
  private int size;
  private int next;
  private long batchStartNanos;

  /**
   * @param targets one gate per consumer subtask
   * @param channel this producer's channel index in every target gate
   * @param firstTarget the consumer of the first batch (spreads producers that start together)
   */
  public RoundRobinOutput(InputGate[] targets, int channel, int batchSize, int firstTarget) {
    this.targets = targets;
    this.channel = channel;
    this.batchSize = batchSize;
    this.buffer = new Object[batchSize];
    this.next = Math.floorMod(firstTarget, targets.length);
  }

  @Override
  public void emit(Object record) throws InterruptedException {
    if (size == 0) {
      batchStartNanos = System.nanoTime();
    }
    buffer[size++] = record;
    if (size == batchSize) {
      targets[next].put(channel, new Batch(buffer, size));
      buffer = new Object[batchSize];
      size = 0;
      advance();
    }
  }

  @Override
  public void flush() throws InterruptedException {
    if (size > 0) {
      targets[next].put(channel, new Batch(Arrays.copyOf(buffer, size), size));
      Arrays.fill(buffer, 0, size, null);
      size = 0;
      advance();
    }
  }

  @Override
  public void flushIfOlder(long nowNanos, long maxDelayNanos) throws InterruptedException {
    if (size > 0 && nowNanos - batchStartNanos > maxDelayNanos) {
      flush();
    }
  }

  @Override
  public void broadcast(ChannelEvent event) throws InterruptedException {
    flush();
    for (InputGate target : targets) {
      target.put(channel, event);
    }
  }

  private void advance() {
    next = next + 1 == targets.length ? 0 : next + 1;
  }
}
