package io.sluice.state.rocksdb.internal;

import io.sluice.engine.internal.state.StatePayloads;
import io.sluice.engine.state.MapState;
import io.sluice.engine.state.Serializer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * A map per key, one RocksDB entry per map entry: the key's stored key followed by the user key.
 * With a time-to-live, each entry carries its timestamp and expires on its own.
 */
final class RocksDbMapState<UK, UV> implements MapState<UK, UV> {
  private final RocksDbKeyedStateBackend<?> backend;
  private final StateColumnFamily state;
  private final Serializer<UK> keySerializer;
  private final Serializer<UV> valueSerializer;

  RocksDbMapState(
      RocksDbKeyedStateBackend<?> backend,
      StateColumnFamily state,
      Serializer<UK> keySerializer,
      Serializer<UV> valueSerializer) {
    this.backend = backend;
    this.state = state;
    this.keySerializer = keySerializer;
    this.valueSerializer = valueSerializer;
  }

  /** Receives the live entries of the current key's map; returns false to stop. */
  @FunctionalInterface
  private interface EntryVisitor {
    boolean entry(byte[] key, int prefixLength, byte[] value) throws RocksDBException, IOException;
  }

  @Override
  public UV get(UK userKey) throws Exception {
    StateKey key = backend.stateKey();
    key.setUserKey(keySerializer, userKey);
    int length = backend.get(state, key.bytes(), key.length());
    if (length < 0) {
      return null;
    }
    byte[] stored = backend.value();
    return isExpired(stored, backend.now()) ? null : value(stored, length);
  }

  @Override
  public void put(UK userKey, UV value) throws Exception {
    if (value == null) {
      remove(userKey);
      return;
    }
    StateKey key = backend.stateKey();
    key.setUserKey(keySerializer, userKey);
    backend.putValue(state, key.bytes(), key.length(), valueSerializer, value);
  }

  @Override
  public void remove(UK userKey) throws Exception {
    StateKey key = backend.stateKey();
    key.setUserKey(keySerializer, userKey);
    backend.delete(state, key.bytes(), key.length());
  }

  @Override
  public boolean contains(UK userKey) throws Exception {
    return get(userKey) != null;
  }

  @Override
  public Map<UK, UV> entries() throws Exception {
    Map<UK, UV> map = new HashMap<>();
    scan(true, (key, prefixLength, value) -> {
      map.put(
          keySerializer.deserialize(backend.input(key, prefixLength, key.length - prefixLength)),
          value(value, value.length));
      return true;
    });
    return map;
  }

  @Override
  public boolean isEmpty() throws Exception {
    boolean[] empty = {true};
    scan(true, (key, prefixLength, value) -> empty[0] = false);
    return empty[0];
  }

  @Override
  public void clear() throws Exception {
    try (WriteBatch batch = new WriteBatch()) {
      scan(false, (key, prefixLength, value) -> {
        batch.delete(state.handle, key);
        return true;
      });
      backend.write(batch);
    }
  }

  /** Visits the entries of the current key's map, only the live ones if {@code liveOnly}. */
  private void scan(boolean liveOnly, EntryVisitor visitor) throws RocksDBException, IOException {
    byte[] prefix = backend.stateKey().prefix();
    long now = backend.now();
    try (RocksIterator it = backend.iterator(state)) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (!StateKey.samePrefix(prefix, key, prefix.length)) {
          break;
        }
        byte[] value = it.value();
        if ((!liveOnly || !isExpired(value, now)) && !visitor.entry(key, prefix.length, value)) {
          break;
        }
      }
      it.status();
    }
  }

  private boolean isExpired(byte[] stored, long now) {
    return state.timestamped()
        && StatePayloads.expired(ValueLayout.readLong(stored, 0), state.ttlMillis, now);
  }

  private UV value(byte[] stored, int length) throws IOException {
    int offset = ValueLayout.valueOffset(state.timestamped());
    return valueSerializer.deserialize(backend.input(stored, offset, length - offset));
  }
}
