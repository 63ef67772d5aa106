package io.sluice.engine.internal.state;

/**
 * How keys map to key groups and key groups to subtasks. A key's group is the murmur3 hash of its
 * serialized bytes modulo {@code maxParallelism}: it depends on nothing but the key, so it is the
 * same on every machine, in every backend and after every restart. Subtask {@code i} of {@code p}
 * owns the contiguous range {@code [ceil(i * max / p), ceil((i + 1) * max / p) - 1]}, so rescaling
 * moves whole key groups.
 */
public final class KeyGroups {
  public static final int DEFAULT_MAX_PARALLELISM = 128;
  /** Key groups are written as two bytes in RocksDB keys and savepoints. */
  public static final int UPPER_BOUND_MAX_PARALLELISM = 1 << 15;

  private KeyGroups() {}

  public static int keyGroupOf(byte[] keyBytes, int length, int maxParallelism) {
    return (murmur3(keyBytes, length) & 0x7fffffff) % maxParallelism;
  }

  public static KeyGroupRange rangeOf(int maxParallelism, int parallelism, int subtask) {
    int start = (subtask * maxParallelism + parallelism - 1) / parallelism;
    int end = ((subtask + 1) * maxParallelism + parallelism - 1) / parallelism - 1;
    return new KeyGroupRange(start, end);
  }

  public static int subtaskOf(int keyGroup, int maxParallelism, int parallelism) {
    return keyGroup * parallelism / maxParallelism;
  }

  /** MurmurHash3 x86 32-bit, seed 0, over {@code data[0..length)}. */
  static int murmur3(byte[] data, int length) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int h = 0;
    int blocks = length & ~3;
    for (int i = 0; i < blocks; i += 4) {
      int k =
          (data[i] & 0xff)
              | (data[i + 1] & 0xff) << 8
              | (data[i + 2] & 0xff) << 16
              | (data[i + 3] & 0xff) << 24;
      k *= c1;
      k = Integer.rotateLeft(k, 15);
      k *= c2;
      h ^= k;
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int k = 0;
    switch (length & 3) {
      case 3:
        k ^= (data[blocks + 2] & 0xff) << 16;
      // fall through
      case 2:
        k ^= (data[blocks + 1] & 0xff) << 8;
      // fall through
      case 1:
        k ^= data[blocks] & 0xff;
        k *= c1;
        k = Integer.rotateLeft(k, 15);
        k *= c2;
        h ^= k;
      // fall through
      default:
        break;
    }
    h ^= length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
