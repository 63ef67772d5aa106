package io.sluice.engine.internal.operators;

import io.sluice.engine.function.MapFunction;

public final class MapOperator extends AbstractOperator {
  private final MapFunction<Object, Object> function;

  public MapOperator(MapFunction<Object, Object> function) {
    this.function = function;
  }

  @Override
  public void processElement(Object record) throws Exception {
    output.collect(function.map(record));
  }
}
