package io.sluice.engine.state;

/** A value per key folded from everything {@link #add}ed with a {@link ReduceFunction}. */
public interface ReducingState<T> extends State {
  /** The reduced value, or null if nothing was added. */
  T get() throws Exception;

  void add(T value) throws Exception;
}
