package io.sluice.engine.internal.exchange;

/** Records sent together through a channel: {@code records[0..size)}. */
public final class Batch implements ChannelEvent {
  final Object[] records;
  final int size;

  public Batch(Object[] records, int size) {
    this.records = records;
    this.size = size;
  }

  public Object[] records() {
    return records;
  }

  public int size() {
    return size;
  }
}
