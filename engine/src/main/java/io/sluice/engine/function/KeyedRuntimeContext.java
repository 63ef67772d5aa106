package io.sluice.engine.function;

import io.sluice.engine.state.AggregatingState;
import io.sluice.engine.state.AggregatingStateDescriptor;
import io.sluice.engine.state.ListState;
import io.sluice.engine.state.ListStateDescriptor;
import io.sluice.engine.state.MapState;
import io.sluice.engine.state.MapStateDescriptor;
import io.sluice.engine.state.ReducingState;
import io.sluice.engine.state.ReducingStateDescriptor;
import io.sluice.engine.state.ValueState;
import io.sluice.engine.state.ValueStateDescriptor;

/**
 * The runtime context of a keyed function: besides where it runs, its keyed state. Get state
 * handles once, in {@code open}; each call on them acts on the key being processed.
 */
public interface KeyedRuntimeContext extends RuntimeContext {

  /** Key groups of the job: the unit in which keyed state is redistributed on rescaling. */
  int maxParallelism();

  <T> ValueState<T> state(ValueStateDescriptor<T> descriptor) throws Exception;

  <T> ListState<T> listState(ListStateDescriptor<T> descriptor) throws Exception;

  <K, V> MapState<K, V> mapState(MapStateDescriptor<K, V> descriptor) throws Exception;

  <T> ReducingState<T> reducingState(ReducingStateDescriptor<T> descriptor) throws Exception;

  <IN, ACC, OUT> AggregatingState<IN, OUT> aggregatingState(
      AggregatingStateDescriptor<IN, ACC, OUT> descriptor) throws Exception;
}
