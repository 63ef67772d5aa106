package io.sluice.engine.internal.state.heap;

import io.sluice.engine.state.AggregateFunction;
import io.sluice.engine.state.AggregatingState;
import io.sluice.engine.state.AggregatingStateDescriptor;
import io.sluice.engine.state.Serializer;

/**
 * An accumulator per key. {@link AggregateFunction#add} may change the accumulator in place, so an
 * accumulator a snapshot may share is copied with the serializer first.
 */
final class HeapAggregatingState<IN, ACC, OUT> implements AggregatingState<IN, OUT> {
  private final HeapKeyedStateBackend<?> backend;
  private final StateTable table;
  private final AggregateFunction<IN, ACC, OUT> function;
  private final Serializer<ACC> serializer;

  HeapAggregatingState(
      HeapKeyedStateBackend<?> backend,
      StateTable table,
      AggregatingStateDescriptor<IN, ACC, OUT> descriptor) {
    this.backend = backend;
    this.table = table;
    this.function = descriptor.aggregateFunction();
    this.serializer = descriptor.accumulatorSerializer();
  }

  @Override
  @SuppressWarnings("unchecked")
  public OUT get() throws Exception {
    StateEntry entry = backend.read(table);
    return entry == null ? null : function.result((ACC) entry.value());
  }

  @Override
  @SuppressWarnings("unchecked")
  public void add(IN value) throws Exception {
    StateEntry entry = backend.read(table);
    ACC acc;
    if (entry == null) {
      acc = function.createAccumulator();
    } else if (entry.epoch() == backend.epoch()) {
      acc = (ACC) entry.value();
    } else {
      acc = serializer.copy((ACC) entry.value());
    }
    backend.write(table, function.add(value, acc));
  }

  @Override
  public void clear() {
    backend.remove(table);
  }
}
