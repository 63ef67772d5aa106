package io.sluice.engine.state;

import java.util.Map;

/** A map per key. With a time-to-live, each map entry expires on its own. */
public interface MapState<K, V> extends State {
  /** The value of {@code key} in the current key's map, or null. */
  V get(K key) throws Exception;

  void put(K key, V value) throws Exception;

  void remove(K key) throws Exception;

  boolean contains(K key) throws Exception;

  /** The current key's map (a copy), empty if it has none. */
  Map<K, V> entries() throws Exception;

  boolean isEmpty() throws Exception;
}
