package io.sluice.state.rocksdb.internal;

import io.sluice.engine.internal.state.StateKind;
import io.sluice.engine.internal.state.StatePayloads;
import io.sluice.engine.internal.state.StatePayloads.PayloadWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Reclaims the space of expired values while the job runs. Stock RocksDB cannot call Java from a
 * compaction filter, so the backend scans instead: each write earns the check of {@link
 * #ENTRIES_PER_WRITE} entries, and once {@link #BATCH} are earned one iterator checks the next
 * {@code BATCH} entries of the states with a time-to-live, resuming after the key where the
 * previous scan stopped, state after state, round and round. It deletes expired values and map
 * entries, and rewrites lists without their expired elements. Scans do not fill the block cache.
 */
final class TtlCleanup implements AutoCloseable {
  static final int ENTRIES_PER_WRITE = 4;
  static final int BATCH = 256;

  private final ReadOptions scanOptions = new ReadOptions().setFillCache(false);
  private final List<StateColumnFamily> states = new ArrayList<>();
  private final PayloadWriter liveElements = new PayloadWriter();
  private long credit;
  private int stateIndex;
  /** The first key the next scan of {@code states[stateIndex]} checks; null: from the start. */
  private byte[] cursor;

  void add(StateColumnFamily state) {
    states.add(state);
  }

  void afterWrite(RocksDB db, WriteOptions writeOptions, long now)
      throws RocksDBException, IOException {
    if (states.isEmpty()) {
      return;
    }
    credit += ENTRIES_PER_WRITE;
    if (credit >= BATCH) {
      credit -= BATCH;
      scan(db, writeOptions, now);
    }
  }

  private void scan(RocksDB db, WriteOptions writeOptions, long now)
      throws RocksDBException, IOException {
    StateColumnFamily state = states.get(stateIndex);
    try (RocksIterator it = db.newIterator(state.handle, scanOptions);
        WriteBatch batch = new WriteBatch()) {
      if (cursor == null) {
        it.seekToFirst();
      } else {
        it.seek(cursor);
      }
      for (int checked = 0; checked < BATCH && it.isValid(); checked++, it.next()) {
        check(state, it.key(), it.value(), now, batch);
      }
      it.status();
      if (it.isValid()) {
        cursor = it.key();
      } else {
        cursor = null;
        stateIndex = (stateIndex + 1) % states.size();
      }
      if (batch.count() > 0) {
        db.write(writeOptions, batch);
      }
    }
  }

  private void check(StateColumnFamily state, byte[] key, byte[] value, long now, WriteBatch batch)
      throws RocksDBException, IOException {
    if (state.meta.kind() == StateKind.LIST) {
      liveElements.reset();
      int live =
          ValueLayout.retainLive(value, value.length, true, state.ttlMillis, now, liveElements);
      if (live == 0) {
        batch.delete(state.handle, key);
      } else if (liveElements.length() < value.length) {
        batch.put(state.handle, key, Arrays.copyOf(liveElements.bytes(), liveElements.length()));
      }
    } else if (StatePayloads.expired(ValueLayout.readLong(value, 0), state.ttlMillis, now)) {
      batch.delete(state.handle, key);
    }
  }

  @Override
  public void close() {
    scanOptions.close();
  }
}
