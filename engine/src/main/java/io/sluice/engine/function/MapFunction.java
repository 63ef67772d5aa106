package io.sluice.engine.function;

@FunctionalInterface
public interface MapFunction<T, R> {
  R map(T value) throws Exception;
}
