package io.sluice.engine.internal.exchange;

import java.util.Arrays;

/**
 * The producer side of a round-robin exchange: fills a batch of {@code batchSize} records and sends
 * it to the next downstream gate in turn. Sending blocks while that channel is full
 * (backpressure). Partial batches leave on {@link #flush()}, before barriers and at the end.
 */
public final class RebalanceOutput {
  private final InputGate[] targets;
  private final int channel;
  private final int batchSize;
  private Object[] buffer;
  private int size;
  private int next;
  private long batchStartNanos;

  /**
   * @param targets one gate per downstream subtask
   * @param channel this producer's channel index in every target gate (its subtask index)
   */
  public RebalanceOutput(InputGate[] targets, int channel, int batchSize, int firstTarget) {
    this.targets = targets;
    this.channel = channel;
    this.batchSize = batchSize;
    this.buffer = new Object[batchSize];
    this.next = Math.floorMod(firstTarget, targets.length);
  }

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

  /** Sends the partial batch, if any. */
  public void flush() throws InterruptedException {
    if (size > 0) {
      targets[next].put(channel, new Batch(Arrays.copyOf(buffer, size), size));
      Arrays.fill(buffer, 0, size, null);
      size = 0;
      advance();
    }
  }

  /** Sends the partial batch if its first record waits longer than {@code maxDelayNanos}. */
  public void flushIfOlder(long nowNanos, long maxDelayNanos) throws InterruptedException {
    if (size > 0 && nowNanos - batchStartNanos > maxDelayNanos) {
      flush();
    }
  }

  /** Flushes, then sends {@code event} (a barrier or end of input) to every target. */
  public void broadcast(Object event) throws InterruptedException {
    flush();
    for (InputGate target : targets) {
      target.put(channel, event);
    }
  }

  private void advance() {
    next = next + 1 == targets.length ? 0 : next + 1;
  }
}
