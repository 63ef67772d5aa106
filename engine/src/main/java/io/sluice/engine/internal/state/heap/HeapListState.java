package io.sluice.engine.internal.state.heap;

import io.sluice.engine.state.ListState;
import io.sluice.engine.state.Serializer;
import java.util.ArrayList;
import java.util.List;

/** A list per key; with a time-to-live its elements are {@link TtlValue}s, expiring one by one. */
final class HeapListState<T> implements ListState<T> {
  private final HeapKeyedStateBackend<?> backend;
  private final StateTable table;
  private final Serializer<T> serializer;

  HeapListState(HeapKeyedStateBackend<?> backend, StateTable table, Serializer<T> serializer) {
    this.backend = backend;
    this.table = table;
    this.serializer = serializer;
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<T> get() {
    StateEntry entry = backend.read(table);
    if (entry == null) {
      return new ArrayList<>();
    }
    long now = backend.now();
    List<Object> list = (List<Object>) entry.value();
    List<T> out = new ArrayList<>(list.size());
    for (Object element : list) {
      if (!isExpired(element, now)) {
        out.add(serializer.copy((T) HeapPayloads.valueOf(element)));
      }
    }
    return out;
  }

  @Override
  public void add(T value) {
    addAll(List.of(value));
  }

  @Override
  public void addAll(List<T> values) {
    if (values.isEmpty()) {
      return;
    }
    ArrayList<Object> list = ownedList();
    long now = backend.now();
    for (T value : values) {
      list.add(wrap(value, now));
    }
    backend.writeCollection(table, list);
  }

  @Override
  public void update(List<T> values) {
    if (values.isEmpty()) {
      clear();
      return;
    }
    ArrayList<Object> list = new ArrayList<>(values.size());
    long now = backend.now();
    for (T value : values) {
      list.add(wrap(value, now));
    }
    backend.writeCollection(table, list);
  }

  @Override
  public void clear() {
    backend.remove(table);
  }

  /** The current key's list, copied if a snapshot may share it, without expired elements. */
  @SuppressWarnings("unchecked")
  private ArrayList<Object> ownedList() {
    StateEntry entry = backend.read(table);
    if (entry == null) {
      return new ArrayList<>();
    }
    ArrayList<Object> list = (ArrayList<Object>) entry.value();
    if (entry.epoch() != backend.epoch()) {
      list = new ArrayList<>(list);
    }
    if (table.hasTtl()) {
      long now = backend.now();
      list.removeIf(element -> isExpired(element, now));
    }
    return list;
  }

  private Object wrap(T value, long now) {
    if (value == null) {
      throw new NullPointerException("list state '" + table.meta.name() + "' cannot hold null");
    }
    return table.hasTtl() ? new TtlValue(value, now) : value;
  }

  private boolean isExpired(Object element, long now) {
    return element instanceof TtlValue t
        && io.sluice.engine.internal.state.StatePayloads.expired(
            t.timestamp(), table.ttlMillis, now);
  }
}
