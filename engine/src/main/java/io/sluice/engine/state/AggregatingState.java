package io.sluice.engine.state;

/** An accumulator per key fed by {@link #add}, read through {@link AggregateFunction#result}. */
public interface AggregatingState<IN, OUT> extends State {
  /** The aggregate of everything added, or null if nothing was. */
  OUT get() throws Exception;

  void add(IN value) throws Exception;
}
