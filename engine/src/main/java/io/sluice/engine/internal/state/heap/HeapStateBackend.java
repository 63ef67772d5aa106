package io.sluice.engine.internal.state.heap;

import io.sluice.engine.internal.state.KeyedBackendParameters;
import io.sluice.engine.internal.state.KeyedStateBackend;
import io.sluice.engine.state.StateBackend;

/** The heap state backend: keyed state in {@link HeapKeyedStateBackend}s. */
public final class HeapStateBackend implements StateBackend {
  public static final HeapStateBackend INSTANCE = new HeapStateBackend();

  private HeapStateBackend() {}

  @Override
  public String name() {
    return "heap";
  }

  @Override
  public <K> KeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters) {
    return new HeapKeyedStateBackend<>(parameters);
  }

  @Override
  public String toString() {
    return "heap state backend";
  }
}
