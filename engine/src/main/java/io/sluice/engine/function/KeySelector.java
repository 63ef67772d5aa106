package io.sluice.engine.function;

/**
 * Extracts the key of a record for {@code keyBy}. It must be deterministic: the same record gives
 * an equal key (equal serialized bytes) on every call, on every machine and after every restart.
 */
@FunctionalInterface
public interface KeySelector<T, K> {
  K key(T value) throws Exception;
}
