package io.sluice.engine.source;

/** Receives the records a source reader or a function emits. */
@FunctionalInterface
public interface Output<T> {
  void collect(T record);
}
