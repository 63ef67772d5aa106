package io.sluice.engine.internal.graph;

import io.sluice.engine.function.FilterFunction;
import io.sluice.engine.function.FlatMapFunction;
import io.sluice.engine.function.MapFunction;

/** A chained, stateless operator of a stage. */
public sealed interface OperatorSpec {
  record Map(MapFunction<Object, Object> fn) implements OperatorSpec {}

  record Filter(FilterFunction<Object> fn) implements OperatorSpec {}

  record FlatMap(FlatMapFunction<Object, Object> fn) implements OperatorSpec {}
}
