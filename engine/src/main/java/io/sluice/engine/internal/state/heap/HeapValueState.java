package io.sluice.engine.internal.state.heap;

import io.sluice.engine.state.ValueState;

final class HeapValueState<T> implements ValueState<T> {
  private final HeapKeyedStateBackend<?> backend;
  private final StateTable table;

  HeapValueState(HeapKeyedStateBackend<?> backend, StateTable table) {
    this.backend = backend;
    this.table = table;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T value() {
    StateEntry entry = backend.read(table);
    return entry == null ? null : (T) entry.value();
  }

  @Override
  public void update(T value) {
    if (value == null) {
      clear();
    } else {
      backend.write(table, value);
    }
  }

  @Override
  public void clear() {
    backend.remove(table);
  }
}
