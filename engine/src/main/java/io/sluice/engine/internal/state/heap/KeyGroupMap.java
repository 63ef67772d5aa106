package io.sluice.engine.internal.state.heap;

import java.util.HashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The entries of one state in one key group. While a snapshot still reads it ({@code
 * snapshotReaders > 0}) it is never changed: the task thread replaces it with a copy before its
 * first write (copy-on-write per key group).
 */
final class KeyGroupMap {
  final HashMap<Object, StateEntry> entries;
  final AtomicInteger snapshotReaders = new AtomicInteger();

  KeyGroupMap() {
    this.entries = new HashMap<>();
  }

  private KeyGroupMap(HashMap<Object, StateEntry> entries) {
    this.entries = entries;
  }

  KeyGroupMap copy() {
    return new KeyGroupMap(new HashMap<>(entries));
  }
}
