package io.sluice.engine.source;

import io.sluice.engine.OutputTag;

/** Receives the records a source reader or a function emits. */
@FunctionalInterface
public interface Output<T> {
  void collect(T record);

  /**
   * Emits {@code record} to the side output named by {@code tag}: the stream {@code
   * DataStream.sideOutput(tag)} of the emitting source or operator. The outputs the engine hands
   * to readers and functions route it (and drop it when nothing consumes that side output); an
   * output without side outputs, such as a test's list, refuses it.
   *
   * @throws UnsupportedOperationException when this output has no side outputs
   */
  default <X> void collect(OutputTag<X> tag, X record) {
    throw new UnsupportedOperationException(
        "this output has no side outputs: cannot emit to " + tag);
  }
}
