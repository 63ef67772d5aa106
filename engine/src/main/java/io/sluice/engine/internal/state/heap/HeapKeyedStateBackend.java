package io.sluice.engine.internal.state.heap;

import io.sluice.engine.internal.state.AbstractKeyedStateBackend;
import io.sluice.engine.internal.state.KeyBytes;
import io.sluice.engine.internal.state.KeyGroupRange;
import io.sluice.engine.internal.state.KeyGroupsWriter;
import io.sluice.engine.internal.state.KeyedBackendParameters;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.internal.state.SnapshotTarget;
import io.sluice.engine.internal.state.StateMeta;
import io.sluice.engine.internal.state.StatePayloads;
import io.sluice.engine.internal.state.StatePayloads.PayloadWriter;
import io.sluice.engine.state.AggregatingStateDescriptor;
import io.sluice.engine.state.ListStateDescriptor;
import io.sluice.engine.state.MapStateDescriptor;
import io.sluice.engine.state.ReducingStateDescriptor;
import io.sluice.engine.state.Serializer;
import io.sluice.engine.state.State;
import io.sluice.engine.state.StateDescriptor;
import io.sluice.engine.state.ValueStateDescriptor;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

/**
 * Keyed state in hash maps, one per state and owned key group.
 *
 * <p>Snapshots: the synchronous part only marks every key-group map as read by the snapshot and
 * starts a new epoch; the asynchronous part writes the marked maps in the canonical key-groups
 * format. Until it is done, the task copies a marked map before its first write to it, and a
 * mutable value of an older epoch before changing it, so the snapshot sees the state exactly as
 * it was at the barrier.
 *
 * <p>Time-to-live: expired values are never returned; each write lets the backend check a few
 * entries (four per write, one key group at a time) and drop the expired ones, and snapshots
 * leave them out.
 */
public final class HeapKeyedStateBackend<K> extends AbstractKeyedStateBackend<K> {
  private static final int CLEANUP_ENTRIES_PER_WRITE = 4;

  private final KeyedBackendParameters<K> parameters;
  private final KeyGroupRange range;
  private final Serializer<K> keySerializer;
  private final LongSupplier clock;
  private final Map<String, StateTable> tables = new LinkedHashMap<>();
  private final Map<String, RestoredState> restored = new LinkedHashMap<>();
  private final List<StateTable> ttlTables = new ArrayList<>();
  private int localKeyGroup;
  private int epoch;
  private long cleanupCredit;
  private int cleanupTable;
  private int cleanupKeyGroup;

  HeapKeyedStateBackend(KeyedBackendParameters<K> parameters) {
    super(parameters);
    this.parameters = parameters;
    this.range = parameters.keyGroupRange();
    this.keySerializer = parameters.keySerializer();
    this.clock = parameters.processingTime();
  }

  @Override
  protected void currentKeyChanged(int keyGroup, byte[] keyBytes, int keyLength) {
    localKeyGroup = keyGroup - range.start();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <S extends State> S state(StateDescriptor<S> descriptor) throws Exception {
    StateTable table = tables.get(descriptor.name());
    if (table == null) {
      table = new StateTable(descriptor, range.size());
      RestoredState pending = restored.remove(descriptor.name());
      if (pending != null) {
        pending.loadInto(table, clock.getAsLong(), epoch);
      }
      tables.put(descriptor.name(), table);
      if (table.hasTtl()) {
        ttlTables.add(table);
      }
    } else if (table.descriptor.kind() != descriptor.kind()) {
      throw new IllegalArgumentException(
          descriptor + " is already declared as " + table.descriptor + " in operator "
              + parameters.operatorId());
    }
    return (S) view(table);
  }

  private State view(StateTable table) {
    StateDescriptor<?> d = table.descriptor;
    if (d instanceof ValueStateDescriptor<?>) {
      return new HeapValueState<>(this, table);
    } else if (d instanceof ListStateDescriptor<?> l) {
      return new HeapListState<>(this, table, l.elementSerializer());
    } else if (d instanceof MapStateDescriptor<?, ?>) {
      return new HeapMapState<>(this, table);
    } else if (d instanceof ReducingStateDescriptor<?> r) {
      return new HeapReducingState<>(this, table, r);
    } else {
      return new HeapAggregatingState<>(this, table, (AggregatingStateDescriptor<?, ?, ?>) d);
    }
  }

  /** Entries held in all states (expired ones not yet reclaimed included). */
  public long entries() {
    long n = 0;
    for (StateTable table : tables.values()) {
      for (KeyGroupMap map : table.maps) {
        n += map.entries.size();
      }
    }
    return n;
  }

  // ---- used by the state views ----

  long now() {
    return clock.getAsLong();
  }

  int epoch() {
    return epoch;
  }

  /** The current key's entry, or null if absent or expired (then it is removed). */
  StateEntry read(StateTable table) {
    requireCurrentKey();
    StateEntry entry = table.maps[localKeyGroup].entries.get(currentKey());
    if (entry == null || !table.hasTtl()) {
      return entry;
    }
    long now = clock.getAsLong();
    if (StatePayloads.expired(entry.ttlTimestamp(), table.ttlMillis, now)) {
      writable(table).remove(currentKey());
      return null;
    }
    if (table.refreshOnRead && entry.ttlTimestamp() != StatePayloads.NO_TTL) {
      entry = new StateEntry(entry.value(), now, entry.epoch());
      writable(table).put(currentKey(), entry);
    }
    return entry;
  }

  /** Stores {@code value} for the current key, stamped now and with the current epoch. */
  void write(StateTable table, Object value) {
    requireCurrentKey();
    long ts = table.hasTtl() ? clock.getAsLong() : StatePayloads.NO_TTL;
    writable(table).put(currentKey(), new StateEntry(value, ts, epoch));
    cleanupAfterWrite();
  }

  /** Stores a list or map value whose elements carry their own time-to-live. */
  void writeCollection(StateTable table, Object value) {
    requireCurrentKey();
    writable(table).put(currentKey(), new StateEntry(value, StatePayloads.NO_TTL, epoch));
    cleanupAfterWrite();
  }

  void remove(StateTable table) {
    requireCurrentKey();
    if (table.maps[localKeyGroup].entries.containsKey(currentKey())) {
      writable(table).remove(currentKey());
    }
  }

  private Map<Object, StateEntry> writable(StateTable table) {
    return writableMap(table, localKeyGroup).entries;
  }

  private static KeyGroupMap writableMap(StateTable table, int localKeyGroup) {
    KeyGroupMap map = table.maps[localKeyGroup];
    if (map.snapshotReaders.get() > 0) {
      map = map.copy();
      table.maps[localKeyGroup] = map;
    }
    return map;
  }

  /** Checks {@link #CLEANUP_ENTRIES_PER_WRITE} entries per write, a key group at a time. */
  private void cleanupAfterWrite() {
    if (ttlTables.isEmpty()) {
      return;
    }
    cleanupCredit += CLEANUP_ENTRIES_PER_WRITE;
    StateTable table = ttlTables.get(cleanupTable % ttlTables.size());
    KeyGroupMap map = table.maps[cleanupKeyGroup];
    if (cleanupCredit < map.entries.size()) {
      return;
    }
    cleanupCredit -= map.entries.size();
    removeExpired(table, cleanupKeyGroup);
    advanceCleanupCursor();
  }

  private void advanceCleanupCursor() {
    if (++cleanupKeyGroup == range.size()) {
      cleanupKeyGroup = 0;
      cleanupTable++;
    }
  }

  private void removeExpired(StateTable table, int local) {
    long now = clock.getAsLong();
    boolean any = false;
    for (StateEntry e : table.maps[local].entries.values()) {
      if (StatePayloads.expired(e.ttlTimestamp(), table.ttlMillis, now)) {
        any = true;
        break;
      }
    }
    if (!any) {
      return;
    }
    Iterator<StateEntry> it = writableMap(table, local).entries.values().iterator();
    while (it.hasNext()) {
      if (StatePayloads.expired(it.next().ttlTimestamp(), table.ttlMillis, now)) {
        it.remove();
      }
    }
  }

  // ---- restore ----

  @Override
  public boolean restoresNatively(KeyedStateHandle handle) {
    return false;
  }

  @Override
  public void restoreNative(List<KeyedStateHandle> handles, Path root) {
    throw new UnsupportedOperationException("the heap backend restores from canonical entries");
  }

  @Override
  public void restoreEntry(int keyGroup, StateMeta state, byte[] key, byte[] payload)
      throws IOException {
    if (!range.contains(keyGroup)) {
      return;
    }
    if (!tables.isEmpty()) {
      throw new IllegalStateException("restore after state was declared");
    }
    K k = keySerializer.deserialize(new DataInputStream(new ByteArrayInputStream(key)));
    restored
        .computeIfAbsent(state.name(), n -> new RestoredState(state, range.size()))
        .add(keyGroup - range.start(), k, key, payload);
  }

  // ---- snapshot ----

  @Override
  public Callable<KeyedStateHandle> snapshot(SnapshotTarget target) {
    if (tables.isEmpty() && restored.isEmpty()) {
      return null;
    }
    long now = clock.getAsLong();
    List<StateTable> tableList = new ArrayList<>(tables.values());
    List<KeyGroupMap[]> captured = new ArrayList<>(tableList.size());
    for (StateTable table : tableList) {
      KeyGroupMap[] maps = table.maps.clone();
      for (KeyGroupMap map : maps) {
        map.snapshotReaders.incrementAndGet();
      }
      captured.add(maps);
    }
    List<RestoredState> pending = new ArrayList<>(restored.values());
    epoch++;
    String hint = parameters.operatorId() + "-" + parameters.subtaskIndex() + "-keyed";
    return () -> {
      try {
        return write(target, hint, now, tableList, captured, pending);
      } finally {
        for (KeyGroupMap[] maps : captured) {
          for (KeyGroupMap map : maps) {
            map.snapshotReaders.decrementAndGet();
          }
        }
      }
    };
  }

  private KeyedStateHandle write(
      SnapshotTarget target,
      String hint,
      long now,
      List<StateTable> tableList,
      List<KeyGroupMap[]> captured,
      List<RestoredState> pending)
      throws IOException {
    List<StateMeta> metas = new ArrayList<>();
    List<HeapPayloads> payloads = new ArrayList<>();
    for (StateTable table : tableList) {
      metas.add(table.meta);
      payloads.add(new HeapPayloads(table));
    }
    for (RestoredState state : pending) {
      metas.add(state.meta);
    }
    SnapshotTarget.StateFile file = target.exclusiveFile(hint);
    KeyBytes key = new KeyBytes();
    PayloadWriter payload = new PayloadWriter();
    try (KeyGroupsWriter writer = new KeyGroupsWriter(file.path(), file.relativePath(), metas, range)) {
      for (int local = 0; local < range.size(); local++) {
        writer.startKeyGroup(range.start() + local);
        for (int s = 0; s < tableList.size(); s++) {
          for (Map.Entry<Object, StateEntry> e : captured.get(s)[local].entries.entrySet()) {
            if (payloads.get(s).encode(e.getValue(), now, payload)) {
              @SuppressWarnings("unchecked")
              K k = (K) e.getKey();
              key.serialize(keySerializer, k);
              writer.entry(s, key.bytes(), key.length(), payload.bytes(), payload.length());
            }
          }
        }
        for (int p = 0; p < pending.size(); p++) {
          for (RestoredState.RawEntry raw : pending.get(p).entries(local)) {
            writer.entry(
                tableList.size() + p, raw.keyBytes(), raw.keyBytes().length, raw.payload(),
                raw.payload().length);
          }
        }
      }
      return writer.finish();
    }
  }

  @Override
  public void close() {
    tables.clear();
    restored.clear();
  }
}
