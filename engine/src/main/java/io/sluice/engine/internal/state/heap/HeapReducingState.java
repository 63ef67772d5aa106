package io.sluice.engine.internal.state.heap;

import io.sluice.engine.state.ReduceFunction;
import io.sluice.engine.state.ReducingState;
import io.sluice.engine.state.ReducingStateDescriptor;

final class HeapReducingState<T> implements ReducingState<T> {
  private final HeapKeyedStateBackend<?> backend;
  private final StateTable table;
  private final ReduceFunction<T> reduce;

  HeapReducingState(
      HeapKeyedStateBackend<?> backend, StateTable table, ReducingStateDescriptor<T> descriptor) {
    this.backend = backend;
    this.table = table;
    this.reduce = descriptor.reduceFunction();
  }

  @Override
  @SuppressWarnings("unchecked")
  public T get() {
    StateEntry entry = backend.read(table);
    return entry == null ? null : (T) entry.value();
  }

  @Override
  public void add(T value) throws Exception {
    T current = get();
    backend.write(table, current == null ? value : reduce.reduce(current, value));
  }

  @Override
  public void clear() {
    backend.remove(table);
  }
}
