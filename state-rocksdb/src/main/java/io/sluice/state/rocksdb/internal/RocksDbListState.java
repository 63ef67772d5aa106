package io.sluice.state.rocksdb.internal;

import io.sluice.engine.internal.state.KeyBytes;
import io.sluice.engine.internal.state.StatePayloads;
import io.sluice.engine.internal.state.StatePayloads.PayloadWriter;
import io.sluice.engine.state.ListState;
import io.sluice.engine.state.Serializer;
import java.util.ArrayList;
import java.util.List;

/**
 * A list per key in one RocksDB value; adds are merge operands that RocksDB appends (see {@link
 * DatabaseOptions#listAppendOperator}). With a time-to-live, each element carries its timestamp
 * and expires on its own.
 */
final class RocksDbListState<T> implements ListState<T> {
  private final RocksDbKeyedStateBackend<?> backend;
  private final StateColumnFamily state;
  private final Serializer<T> serializer;
  private final KeyBytes element = new KeyBytes();
  private final PayloadWriter elements = new PayloadWriter();

  RocksDbListState(
      RocksDbKeyedStateBackend<?> backend, StateColumnFamily state, Serializer<T> serializer) {
    this.backend = backend;
    this.state = state;
    this.serializer = serializer;
  }

  @Override
  public List<T> get() throws Exception {
    StateKey key = backend.stateKey();
    int length = backend.get(state, key.bytes(), key.prefixLength());
    List<T> list = new ArrayList<>();
    if (length < 0) {
      return list;
    }
    byte[] stored = backend.value();
    long now = backend.now();
    ValueLayout.forEachElement(stored, length, state.timestamped(), (timestamp, offset, size) -> {
      if (!StatePayloads.expired(timestamp, state.ttlMillis, now)) {
        list.add(serializer.deserialize(backend.input(stored, offset, size)));
      }
    });
    return list;
  }

  @Override
  public void add(T value) throws Exception {
    addAll(List.of(value));
  }

  @Override
  public void addAll(List<T> values) throws Exception {
    if (!values.isEmpty()) {
      store(values, true);
    }
  }

  @Override
  public void update(List<T> values) throws Exception {
    if (values.isEmpty()) {
      clear();
    } else {
      store(values, false);
    }
  }

  @Override
  public void clear() throws Exception {
    StateKey key = backend.stateKey();
    backend.delete(state, key.bytes(), key.prefixLength());
  }

  /** Appends {@code values} to the current key's list, or replaces the list with them. */
  private void store(List<T> values, boolean append) throws Exception {
    StateKey key = backend.stateKey();
    long now = backend.now();
    elements.reset();
    for (T value : values) {
      if (value == null) {
        throw new NullPointerException("list state '" + state.meta.name() + "' cannot hold null");
      }
      element.serialize(serializer, value);
      ValueLayout.writeElement(
          elements, state.timestamped(), now, element.bytes(), 0, element.length());
    }
    if (append) {
      backend.merge(state, key.bytes(), key.prefixLength(), elements.bytes(), elements.length());
    } else {
      backend.put(state, key.bytes(), key.prefixLength(), elements.bytes(), elements.length());
    }
    backend.afterWrite();
  }
}
