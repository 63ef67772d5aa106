package io.sluice.engine.function;

import io.sluice.engine.source.Output;

@FunctionalInterface
public interface FlatMapFunction<T, R> {
  void flatMap(T value, Output<R> out) throws Exception;
}
