package io.sluice.engine.internal.operators;

import io.sluice.engine.OutputTag;
import io.sluice.engine.source.Output;

/**
 * Where an operator emits: {@link #collect(Object)} to its main output, {@link #collect(OutputTag,
 * Object)} to a side output (dropped when nothing consumes that side output).
 */
public interface OperatorOutput extends Output<Object> {
  @Override
  <X> void collect(OutputTag<X> tag, X record);
}
