package io.sluice.state.rocksdb.internal;

import io.sluice.engine.state.AggregateFunction;
import io.sluice.engine.state.AggregatingState;
import io.sluice.engine.state.AggregatingStateDescriptor;

/** The accumulator is deserialized on each access, so the function may change it in place. */
final class RocksDbAggregatingState<IN, ACC, OUT> implements AggregatingState<IN, OUT> {
  private final SingleValue<ACC> accumulator;
  private final AggregateFunction<IN, ACC, OUT> function;

  RocksDbAggregatingState(
      RocksDbKeyedStateBackend<?> backend,
      StateColumnFamily state,
      AggregatingStateDescriptor<IN, ACC, OUT> descriptor) {
    this.accumulator = new SingleValue<>(backend, state, descriptor.accumulatorSerializer());
    this.function = descriptor.aggregateFunction();
  }

  @Override
  public OUT get() throws Exception {
    ACC acc = accumulator.get();
    return acc == null ? null : function.result(acc);
  }

  @Override
  public void add(IN value) throws Exception {
    ACC acc = accumulator.get();
    accumulator.set(function.add(value, acc == null ? function.createAccumulator() : acc));
  }

  @Override
  public void clear() throws Exception {
    accumulator.clear();
  }
}
