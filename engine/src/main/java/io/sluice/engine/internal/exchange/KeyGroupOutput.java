package io.sluice.engine.internal.exchange;

import io.sluice.engine.function.KeySelector;
import io.sluice.engine.internal.Sneaky;
import io.sluice.engine.internal.state.KeyBytes;
import io.sluice.engine.internal.state.KeyGroups;
import io.sluice.engine.state.Serializer;
import java.util.Arrays;

/**
 * Hash partitioning for {@code keyBy}: each record goes to the consumer that owns its key's key
 * group ({@link KeyGroups}), through one batch buffer per consumer.
 */
public final class KeyGroupOutput implements ExchangeOutput {
  private final InputGate[] targets;
  private final int channel;
  private final int batchSize;
  private final int maxParallelism;
  private final KeySelector<Object, Object> keySelector;
  private final Serializer<Object> keySerializer;
  private final KeyBytes keyBytes = new KeyBytes();
  private final Object[][] buffers;
  private final int[] sizes;
  private final long[] batchStartNanos;

  public KeyGroupOutput(
      InputGate[] targets,
      int channel,
      int batchSize,
      int maxParallelism,
      KeySelector<Object, Object> keySelector,
      Serializer<Object> keySerializer) {
    this.targets = targets;
    this.channel = channel;
    this.batchSize = batchSize;
    this.maxParallelism = maxParallelism;
    this.keySelector = keySelector;
    this.keySerializer = keySerializer;
    this.buffers = new Object[targets.length][batchSize];
    this.sizes = new int[targets.length];
    this.batchStartNanos = new long[targets.length];
  }

  @Override
  public void emit(Object record) throws InterruptedException {
    int target = targetOf(record);
    if (sizes[target] == 0) {
      batchStartNanos[target] = System.nanoTime();
    }
    buffers[target][sizes[target]++] = record;
    if (sizes[target] == batchSize) {
      targets[target].put(channel, new Batch(buffers[target], batchSize));
      buffers[target] = new Object[batchSize];
      sizes[target] = 0;
    }
  }

  private int targetOf(Object record) {
    try {
      keyBytes.serialize(keySerializer, keySelector.key(record));
    } catch (Exception e) {
      throw Sneaky.raise(e);
    }
    int keyGroup = KeyGroups.keyGroupOf(keyBytes.bytes(), keyBytes.length(), maxParallelism);
    return KeyGroups.subtaskOf(keyGroup, maxParallelism, targets.length);
  }

  @Override
  public void flush() throws InterruptedException {
    for (int t = 0; t < targets.length; t++) {
      flush(t);
    }
  }

  private void flush(int target) throws InterruptedException {
    int size = sizes[target];
    if (size > 0) {
      targets[target].put(channel, new Batch(Arrays.copyOf(buffers[target], size), size));
      Arrays.fill(buffers[target], 0, size, null);
      sizes[target] = 0;
    }
  }

  @Override
  public void flushIfOlder(long nowNanos, long maxDelayNanos) throws InterruptedException {
    for (int t = 0; t < targets.length; t++) {
      if (sizes[t] > 0 && nowNanos - batchStartNanos[t] > maxDelayNanos) {
        flush(t);
      }
    }
  }

  @Override
  public void broadcast(ChannelEvent event) throws InterruptedException {
    flush();
    for (InputGate target : targets) {
      target.put(channel, event);
    }
  }
}
