package io.sluice.engine.internal.state;

/**
 * A contiguous range of key groups {@code [start, end]}, inclusive; empty when {@code end <
 * start}. Each parallel instance of a keyed operator owns one range.
 */
public record KeyGroupRange(int start, int end) {
  public static final KeyGroupRange EMPTY = new KeyGroupRange(0, -1);

  public boolean contains(int keyGroup) {
    return keyGroup >= start && keyGroup <= end;
  }

  public int size() {
    return Math.max(0, end - start + 1);
  }

  public boolean isEmpty() {
    return end < start;
  }

  public KeyGroupRange intersect(KeyGroupRange other) {
    int s = Math.max(start, other.start);
    int e = Math.min(end, other.end);
    return e < s ? EMPTY : new KeyGroupRange(s, e);
  }

  @Override
  public String toString() {
    return isEmpty() ? "[]" : "[" + start + ".." + end + "]";
  }
}
