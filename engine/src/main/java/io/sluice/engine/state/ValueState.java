package io.sluice.engine.state;

/**
 * One value per key. Treat values as immutable: change a copy and {@link #update} it (the heap
 * backend shares stored values with checkpoints being written).
 */
public interface ValueState<T> extends State {
  /** The current key's value, or null if it has none (or it expired). */
  T value() throws Exception;

  /** Sets the current key's value; null clears it. */
  void update(T value) throws Exception;
}
