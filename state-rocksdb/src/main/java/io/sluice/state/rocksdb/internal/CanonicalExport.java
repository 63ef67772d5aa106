package io.sluice.state.rocksdb.internal;

import io.sluice.engine.internal.state.CanonicalEntryVisitor;
import io.sluice.engine.internal.state.KeyGroupRange;
import io.sluice.engine.internal.state.StateKind;
import io.sluice.engine.internal.state.StateMeta;
import io.sluice.engine.internal.state.StatePayloads;
import io.sluice.engine.internal.state.StatePayloads.PayloadWriter;
import io.sluice.state.rocksdb.internal.IncrementalRocksDbHandle.SnapshotState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Reads a checkpointed database as canonical entries ({@link StatePayloads}), key group by key
 * group in ascending order, leaving out what expired at the snapshot's time. A map's entries,
 * one RocksDB entry per user key, become one canonical entry per key.
 */
final class CanonicalExport {
  private final PayloadWriter payload = new PayloadWriter();
  private final PayloadWriter mapEntries = new PayloadWriter();
  private final long now;
  private final CanonicalEntryVisitor visitor;

  private CanonicalExport(long now, CanonicalEntryVisitor visitor) {
    this.now = now;
    this.visitor = visitor;
  }

  static void export(CheckpointedDb db, KeyGroupRange range, long now, CanonicalEntryVisitor visitor)
      throws IOException {
    CanonicalExport export = new CanonicalExport(now, visitor);
    List<SnapshotState> states = db.states();
    List<RocksIterator> iterators = new ArrayList<>(states.size());
    try {
      for (int i = 0; i < states.size(); i++) {
        iterators.add(db.db().newIterator(db.columnFamily(i)));
      }
      for (int keyGroup = range.start(); keyGroup <= range.end(); keyGroup++) {
        byte[] prefix = StateKey.keyGroupPrefix(keyGroup);
        for (int i = 0; i < states.size(); i++) {
          export.keyGroup(iterators.get(i), prefix, keyGroup, states.get(i));
        }
      }
    } catch (RocksDBException e) {
      throw new IOException("cannot read the RocksDB checkpoint: " + e, e);
    } finally {
      iterators.forEach(RocksIterator::close);
    }
  }

  private void keyGroup(RocksIterator it, byte[] prefix, int keyGroup, SnapshotState state)
      throws IOException, RocksDBException {
    StateMeta meta = state.meta();
    it.seek(prefix);
    while (it.isValid()) {
      byte[] key = it.key();
      if (StateKey.keyGroupOf(key) != keyGroup) {
        break;
      }
      boolean live;
      if (meta.kind() == StateKind.MAP) {
        live = mapOfKey(it, key, state);
      } else {
        byte[] value = it.value();
        live =
            meta.kind() == StateKind.LIST
                ? ValueLayout.listToCanonical(
                    value, value.length, meta.ttl(), state.ttlMillis(), now, payload)
                : ValueLayout.singleToCanonical(
                    value, value.length, meta.ttl(), state.ttlMillis(), now, payload);
        it.next();
      }
      if (live) {
        visitor.entry(
            keyGroup,
            meta,
            StateKey.serializedKey(key),
            Arrays.copyOf(payload.bytes(), payload.length()));
      }
    }
    it.status();
  }

  /**
   * Writes the canonical payload of the map whose first entry {@code it} is at (stored key {@code
   * first}), leaving {@code it} after the map's last entry; false if every entry expired.
   */
  private boolean mapOfKey(RocksIterator it, byte[] first, SnapshotState state)
      throws IOException {
    boolean ttl = state.meta().ttl();
    int prefixLength = StateKey.prefixLengthOf(first);
    int valueOffset = ValueLayout.valueOffset(ttl);
    int count = 0;
    mapEntries.reset();
    byte[] key = first;
    do {
      byte[] value = it.value();
      long timestamp = ttl ? ValueLayout.readLong(value, 0) : StatePayloads.NO_TTL;
      if (!StatePayloads.expired(timestamp, state.ttlMillis(), now)) {
        mapEntries.writeInt(key.length - prefixLength);
        mapEntries.out().write(key, prefixLength, key.length - prefixLength);
        mapEntries.writeLong(timestamp);
        mapEntries.writeInt(value.length - valueOffset);
        mapEntries.out().write(value, valueOffset, value.length - valueOffset);
        count++;
      }
      it.next();
      key = it.isValid() ? it.key() : null;
    } while (key != null && StateKey.samePrefix(first, key, prefixLength));
    payload.reset().writeInt(count).writeRaw(mapEntries.bytes(), mapEntries.length());
    return count > 0;
  }
}
