package io.sluice.state.rocksdb.internal;

import io.sluice.engine.state.ReduceFunction;
import io.sluice.engine.state.ReducingState;
import io.sluice.engine.state.ReducingStateDescriptor;

/** Reads, reduces and writes back on each add: RocksDB cannot run the Java reduce function. */
final class RocksDbReducingState<T> implements ReducingState<T> {
  private final SingleValue<T> value;
  private final ReduceFunction<T> reduce;

  RocksDbReducingState(
      RocksDbKeyedStateBackend<?> backend,
      StateColumnFamily state,
      ReducingStateDescriptor<T> descriptor) {
    this.value = new SingleValue<>(backend, state, descriptor.serializer());
    this.reduce = descriptor.reduceFunction();
  }

  @Override
  public T get() throws Exception {
    return value.get();
  }

  @Override
  public void add(T element) throws Exception {
    T current = value.get();
    value.set(current == null ? element : reduce.reduce(current, element));
  }

  @Override
  public void clear() throws Exception {
    value.clear();
  }
}
