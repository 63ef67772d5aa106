package io.sluice.engine.state;

/** Folds inputs into an accumulator (kept in state) and reads a result from it. */
public interface AggregateFunction<IN, ACC, OUT> {
  ACC createAccumulator();

  /** Returns the accumulator after adding {@code value}; it may change and return {@code acc}. */
  ACC add(IN value, ACC acc) throws Exception;

  OUT result(ACC acc) throws Exception;
}
