package io.sluice.engine.state;

/**
 * Keyed state of a {@link io.sluice.engine.function.KeyedProcessFunction}: every call reads or
 * changes the value of the key of the record (or timer) being processed.
 */
public interface State {
  /** Removes the current key's value. */
  void clear() throws Exception;
}
