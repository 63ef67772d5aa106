package io.sluice.engine.function;

@FunctionalInterface
public interface FilterFunction<T> {
  boolean filter(T value) throws Exception;
}
