package io.sluice.engine.internal.operators;

import io.sluice.engine.function.FilterFunction;

public final class FilterOperator extends AbstractOperator {
  private final FilterFunction<Object> function;

  public FilterOperator(FilterFunction<Object> function) {
    this.function = function;
  }

  @Override
  public void processElement(Object record) throws Exception {
    if (function.filter(record)) {
      output.collect(record);
    }
  }
}
