package io.sluice.state.rocksdb.internal;

import io.sluice.engine.internal.state.StatePayloads;
import io.sluice.engine.state.Serializer;
import java.io.IOException;
import org.rocksdb.RocksDBException;

/** The current key's single value: what value, reducing and aggregating state store. */
final class SingleValue<T> {
  private final RocksDbKeyedStateBackend<?> backend;
  private final StateColumnFamily state;
  private final Serializer<T> serializer;

  SingleValue(RocksDbKeyedStateBackend<?> backend, StateColumnFamily state, Serializer<T> serializer) {
    this.backend = backend;
    this.state = state;
    this.serializer = serializer;
  }

  /** The value, or null if there is none or it expired (then it is deleted). */
  T get() throws RocksDBException, IOException {
    StateKey key = backend.stateKey();
    int length = backend.get(state, key.bytes(), key.prefixLength());
    if (length < 0) {
      return null;
    }
    byte[] stored = backend.value();
    if (state.timestamped()) {
      long now = backend.now();
      if (StatePayloads.expired(ValueLayout.readLong(stored, 0), state.ttlMillis, now)) {
        backend.delete(state, key.bytes(), key.prefixLength());
        return null;
      }
      if (state.refreshOnRead) {
        ValueLayout.writeLong(stored, 0, now);
        backend.put(state, key.bytes(), key.prefixLength(), stored, length);
      }
    }
    int offset = ValueLayout.valueOffset(state.timestamped());
    return serializer.deserialize(backend.input(stored, offset, length - offset));
  }

  void set(T value) throws RocksDBException, IOException {
    StateKey key = backend.stateKey();
    backend.putValue(state, key.bytes(), key.prefixLength(), serializer, value);
  }

  void clear() throws RocksDBException {
    StateKey key = backend.stateKey();
    backend.delete(state, key.bytes(), key.prefixLength());
  }
}
