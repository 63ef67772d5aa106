package io.sluice.engine.internal.operators;

import io.sluice.engine.function.FlatMapFunction;

public final class FlatMapOperator extends AbstractOperator {
  private final FlatMapFunction<Object, Object> function;

  public FlatMapOperator(FlatMapFunction<Object, Object> function) {
    this.function = function;
  }

  @Override
  public void processElement(Object record) throws Exception {
    function.flatMap(record, output);
  }
}
