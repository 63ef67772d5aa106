package io.sluice.engine.state;

import io.sluice.engine.internal.state.heap.HeapStateBackend;

/** The engine's own state backend. */
public final class StateBackends {
  private StateBackends() {}

  /**
   * Keyed state in Java hash maps: fastest, bounded by the heap. Snapshots stop the task only for
   * a copy-on-write switch; the state is written to the checkpoint on another thread.
   */
  public static StateBackend heap() {
    return HeapStateBackend.INSTANCE;
  }
}
