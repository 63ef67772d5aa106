package io.sluice.engine.internal.state.heap;

import io.sluice.engine.internal.state.StatePayloads;
import io.sluice.engine.state.MapState;
import java.util.HashMap;
import java.util.Map;

/** A map per key; with a time-to-live its values are {@link TtlValue}s, expiring one by one. */
final class HeapMapState<K, V> implements MapState<K, V> {
  private final HeapKeyedStateBackend<?> backend;
  private final StateTable table;

  HeapMapState(HeapKeyedStateBackend<?> backend, StateTable table) {
    this.backend = backend;
    this.table = table;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(K key) {
    Map<Object, Object> map = currentMap();
    if (map == null) {
      return null;
    }
    Object value = map.get(key);
    return value == null || expired(value) ? null : (V) HeapPayloads.valueOf(value);
  }

  @Override
  public void put(K key, V value) {
    if (value == null) {
      remove(key);
      return;
    }
    HashMap<Object, Object> map = ownedMap();
    map.put(key, table.hasTtl() ? new TtlValue(value, backend.now()) : value);
    backend.writeCollection(table, map);
  }

  @Override
  public void remove(K key) {
    Map<Object, Object> current = currentMap();
    if (current == null || !current.containsKey(key)) {
      return;
    }
    HashMap<Object, Object> map = ownedMap();
    map.remove(key);
    if (map.isEmpty()) {
      backend.remove(table);
    } else {
      backend.writeCollection(table, map);
    }
  }

  @Override
  public boolean contains(K key) {
    return get(key) != null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Map<K, V> entries() {
    Map<Object, Object> map = currentMap();
    Map<K, V> out = new HashMap<>();
    if (map != null) {
      for (Map.Entry<Object, Object> e : map.entrySet()) {
        if (!expired(e.getValue())) {
          out.put((K) e.getKey(), (V) HeapPayloads.valueOf(e.getValue()));
        }
      }
    }
    return out;
  }

  @Override
  public boolean isEmpty() {
    return entries().isEmpty();
  }

  @Override
  public void clear() {
    backend.remove(table);
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> currentMap() {
    StateEntry entry = backend.read(table);
    return entry == null ? null : (Map<Object, Object>) entry.value();
  }

  /** The current key's map, copied if a snapshot may share it, without expired values. */
  @SuppressWarnings("unchecked")
  private HashMap<Object, Object> ownedMap() {
    StateEntry entry = backend.read(table);
    if (entry == null) {
      return new HashMap<>();
    }
    HashMap<Object, Object> map = (HashMap<Object, Object>) entry.value();
    if (entry.epoch() != backend.epoch()) {
      map = new HashMap<>(map);
    }
    if (table.hasTtl()) {
      map.values().removeIf(this::expired);
    }
    return map;
  }

  private boolean expired(Object value) {
    return value instanceof TtlValue t
        && StatePayloads.expired(t.timestamp(), table.ttlMillis, backend.now());
  }
}
