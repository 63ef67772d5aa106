package io.sluice.state.rocksdb.internal;

import io.sluice.engine.internal.state.AbstractKeyedStateBackend;
import io.sluice.engine.internal.state.KeyGroupRange;
import io.sluice.engine.internal.state.KeyedBackendParameters;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.internal.state.SnapshotTarget;
import io.sluice.engine.internal.state.StateKind;
import io.sluice.engine.internal.state.StateMeta;
import io.sluice.engine.internal.state.StatePayloads.PayloadWriter;
import io.sluice.engine.state.AggregatingStateDescriptor;
import io.sluice.engine.state.ListStateDescriptor;
import io.sluice.engine.state.MapStateDescriptor;
import io.sluice.engine.state.ReducingStateDescriptor;
import io.sluice.engine.state.Serializer;
import io.sluice.engine.state.State;
import io.sluice.engine.state.StateDescriptor;
import io.sluice.engine.state.ValueStateDescriptor;
import io.sluice.state.rocksdb.internal.IncrementalRocksDbHandle.SnapshotState;
import java.io.DataInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed state of one operator subtask in a RocksDB database of its own, in a directory under
 * the backend's working directory that {@link #close} deletes. One column family per state; keys
 * are laid out by {@link StateKey}, values by {@link ValueLayout}.
 *
 * <p>The database is opened on first use: empty, or from the files of a checkpoint of the same
 * key groups. Snapshots are incremental ({@link IncrementalSnapshots}); expired values are never
 * returned and are removed by {@link TtlCleanup} as writes go on.
 */
public final class RocksDbKeyedStateBackend<K> extends AbstractKeyedStateBackend<K> {
  private static final Logger LOG = LoggerFactory.getLogger(RocksDbKeyedStateBackend.class);
  private static final long RESTORE_BATCH_BYTES = 4L << 20;

  static {
    RocksDB.loadLibrary();
  }

  private final KeyedBackendParameters<K> parameters;
  private final KeyGroupRange range;
  private final LongSupplier clock;
  private final SharedResources.Lease resources;
  private final Path directory;
  private final Path dbDirectory;
  private final String name;
  private final StateKey stateKey = new StateKey();
  private final InputBuffer input = new InputBuffer();
  private final PayloadWriter restoredValue = new PayloadWriter();
  private final PayloadWriter writtenValue = new PayloadWriter();
  private final ReadOptions readOptions = new ReadOptions();
  /**
   * Without a write-ahead log: durability comes from checkpoints, which flush the memtables. After
   * a failure the database is never reopened but rebuilt from the last checkpoint.
   */
  private final WriteOptions writeOptions = new WriteOptions().setDisableWAL(true);
  private final Map<String, StateColumnFamily> states = new LinkedHashMap<>();
  private final TtlCleanup ttlCleanup = new TtlCleanup();
  private final IncrementalSnapshots snapshots;
  private byte[] value = new byte[256];
  private RocksDB db;
  private ColumnFamilyHandle defaultColumnFamily;

  public RocksDbKeyedStateBackend(
      KeyedBackendParameters<K> parameters, Path workingDirectory, SharedResources shared)
      throws IOException {
    super(parameters);
    this.parameters = parameters;
    this.range = parameters.keyGroupRange();
    this.clock = parameters.processingTime();
    this.name = parameters.operatorId() + "-" + parameters.subtaskIndex();
    this.directory =
        pipelineDirectory(workingDirectory, parameters.pipelineId())
            .resolve(safeName(name) + "-" + UUID.randomUUID());
    this.dbDirectory = directory.resolve("db");
    this.snapshots = new IncrementalSnapshots(directory.resolve("checkpoints"), name);
    Files.createDirectories(directory);
    this.resources = shared.acquire();
  }

  /** Where the databases of {@code pipelineId} live under the working directory. */
  public static Path pipelineDirectory(Path workingDirectory, String pipelineId) {
    return workingDirectory.resolve(safeName(pipelineId));
  }

  private static String safeName(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  @Override
  protected void currentKeyChanged(int keyGroup, byte[] keyBytes, int keyLength) {
    stateKey.set(keyGroup, keyBytes, keyLength);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <S extends State> S state(StateDescriptor<S> descriptor) throws Exception {
    StateColumnFamily state = states.get(descriptor.name());
    if (state == null) {
      state = createColumnFamily(StateMeta.of(descriptor));
    }
    if (!state.isDeclared()) {
      state.meta.requireDeclaredKind(descriptor);
      boolean ttl = descriptor.ttl().isPresent();
      if (state.timestamped() != ttl) {
        relayout(state, ttl);
      }
      state.declare(descriptor);
      if (state.hasTtl()) {
        ttlCleanup.add(state);
      }
    } else if (state.descriptor.kind() != descriptor.kind()) {
      throw new IllegalArgumentException(
          descriptor + " is already declared as " + state.descriptor + " in operator "
              + parameters.operatorId());
    }
    return (S) view(state);
  }

  private State view(StateColumnFamily state) {
    StateDescriptor<?> d = state.descriptor;
    if (d instanceof ValueStateDescriptor<?> v) {
      return new RocksDbValueState<>(new SingleValue<>(this, state, v.serializer()));
    } else if (d instanceof ListStateDescriptor<?> l) {
      return new RocksDbListState<>(this, state, l.elementSerializer());
    } else if (d instanceof MapStateDescriptor<?, ?> m) {
      return new RocksDbMapState<>(this, state, m.keySerializer(), m.valueSerializer());
    } else if (d instanceof ReducingStateDescriptor<?> r) {
      return new RocksDbReducingState<>(this, state, r);
    }
    return new RocksDbAggregatingState<>(this, state, (AggregatingStateDescriptor<?, ?, ?>) d);
  }

  /**
   * Rewrites a restored state whose declaration adds or drops the time-to-live: values gain the
   * timestamp {@code now} (as in the heap backend) or lose theirs.
   */
  private void relayout(StateColumnFamily state, boolean ttl) throws RocksDBException, IOException {
    long now = clock.getAsLong();
    boolean list = state.meta.kind() == StateKind.LIST;
    PayloadWriter canonical = new PayloadWriter();
    try (RocksIterator it = db.newIterator(state.handle)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] stored = it.value();
        if (list) {
          ValueLayout.listToCanonical(stored, stored.length, state.timestamped(), 0, now, canonical);
          ValueLayout.listFromCanonical(canonical.bytes(), ttl, now, restoredValue);
        } else {
          ValueLayout.singleToCanonical(
              stored, stored.length, state.timestamped(), 0, now, canonical);
          ValueLayout.singleFromCanonical(
              canonical.bytes(), canonical.length(), ttl, now, restoredValue);
        }
        byte[] key = it.key();
        db.put(state.handle, writeOptions, key, 0, key.length, restoredValue.bytes(), 0,
            restoredValue.length());
      }
      it.status();
    }
    state.meta = new StateMeta(state.meta.name(), state.meta.kind(), ttl);
  }

  // ---- used by the state views ----

  long now() {
    return clock.getAsLong();
  }

  /** The current key's stored key (its prefix; map state appends user keys). */
  StateKey stateKey() {
    requireCurrentKey();
    return stateKey;
  }

  /**
   * Reads the value of {@code key[0..keyLength)} into {@link #value()}.
   *
   * @return its length, or -1 if there is none
   */
  int get(StateColumnFamily state, byte[] key, int keyLength) throws RocksDBException {
    int length = db.get(state.handle, readOptions, key, 0, keyLength, value, 0, value.length);
    if (length > value.length) {
      value = new byte[Math.max(length, value.length * 2)];
      length = db.get(state.handle, readOptions, key, 0, keyLength, value, 0, value.length);
    }
    return length;
  }

  /** The buffer {@link #get} reads into, valid until the next read. */
  byte[] value() {
    return value;
  }

  DataInput input(byte[] bytes, int offset, int length) {
    return input.of(bytes, offset, length);
  }

  void put(StateColumnFamily state, byte[] key, int keyLength, byte[] bytes, int length)
      throws RocksDBException {
    db.put(state.handle, writeOptions, key, 0, keyLength, bytes, 0, length);
  }

  /**
   * Stores the single value (or map value) {@code value} under {@code key[0..keyLength)}, stamped
   * now if the state has a time-to-live.
   */
  <T> void putValue(
      StateColumnFamily state, byte[] key, int keyLength, Serializer<T> serializer, T value)
      throws RocksDBException, IOException {
    writtenValue.reset();
    if (state.timestamped()) {
      writtenValue.writeLong(clock.getAsLong());
    }
    serializer.serialize(value, writtenValue.out());
    put(state, key, keyLength, writtenValue.bytes(), writtenValue.length());
    afterWrite();
  }

  void merge(StateColumnFamily state, byte[] key, int keyLength, byte[] bytes, int length)
      throws RocksDBException {
    db.merge(state.handle, writeOptions, key, 0, keyLength, bytes, 0, length);
  }

  void delete(StateColumnFamily state, byte[] key, int keyLength) throws RocksDBException {
    db.delete(state.handle, writeOptions, key, 0, keyLength);
  }

  RocksIterator iterator(StateColumnFamily state) {
    return db.newIterator(state.handle, readOptions);
  }

  void write(WriteBatch batch) throws RocksDBException {
    db.write(writeOptions, batch);
  }

  /** Lets the time-to-live cleanup check a few entries; called after each state write. */
  void afterWrite() throws RocksDBException, IOException {
    ttlCleanup.afterWrite(db, writeOptions, clock.getAsLong());
  }

  // ---- database and column families ----

  private void openDatabase(List<StateMeta> existing) throws RocksDBException {
    List<ColumnFamilyDescriptor> descriptors =
        StateColumnFamily.descriptors(existing, resources.columnFamilyOptions());
    List<ColumnFamilyHandle> handles = new ArrayList<>(descriptors.size());
    db = RocksDB.open(resources.dbOptions(), dbDirectory.toString(), descriptors, handles);
    defaultColumnFamily = handles.get(0);
    for (int i = 0; i < existing.size(); i++) {
      states.put(existing.get(i).name(), new StateColumnFamily(handles.get(i + 1), existing.get(i)));
    }
  }

  private StateColumnFamily createColumnFamily(StateMeta meta) throws RocksDBException {
    if (db == null) {
      openDatabase(List.of());
    }
    ColumnFamilyHandle handle =
        db.createColumnFamily(
            new ColumnFamilyDescriptor(
                StateColumnFamily.columnFamilyName(meta.name()),
                resources.columnFamilyOptions()));
    StateColumnFamily state = new StateColumnFamily(handle, meta);
    states.put(meta.name(), state);
    return state;
  }

  /** The column family a restored state goes to, created for it if it has none yet. */
  private StateColumnFamily restoredColumnFamily(StateMeta meta) throws RocksDBException {
    StateColumnFamily state = states.get(meta.name());
    if (state == null) {
      return createColumnFamily(meta);
    }
    if (state.meta.kind() != meta.kind()) {
      throw new IllegalStateException(
          "state '" + meta.name() + "' is restored both as " + state.meta.kind() + " and as "
              + meta.kind() + " state");
    }
    return state;
  }

  // ---- restore ----

  @Override
  public boolean restoresNatively(KeyedStateHandle handle) {
    return handle instanceof IncrementalRocksDbHandle;
  }

  /**
   * Opens the checkpoint's database itself when it holds exactly this subtask's key groups;
   * otherwise (another parallelism) copies the owned key groups of each handle into the database.
   */
  @Override
  public void restoreNative(List<KeyedStateHandle> handles, Path root) throws Exception {
    List<IncrementalRocksDbHandle> owned = new ArrayList<>();
    for (KeyedStateHandle handle : handles) {
      if (!handle.keyGroupRange().intersect(range).isEmpty()) {
        owned.add((IncrementalRocksDbHandle) handle);
      }
    }
    if (db == null && owned.size() == 1 && owned.get(0).keyGroupRange().equals(range)) {
      IncrementalRocksDbHandle handle = owned.get(0);
      CheckpointedDb.materialize(handle, root, dbDirectory);
      openDatabase(handle.stateMetas());
      snapshots.restored(handle, root);
      LOG.info("{}: restored key groups {} from {} SST files", name, range,
          handle.sharedSsts().size());
      return;
    }
    for (IncrementalRocksDbHandle handle : owned) {
      copyOwnedKeyGroups(handle, root);
    }
  }

  private void copyOwnedKeyGroups(IncrementalRocksDbHandle handle, Path root)
      throws IOException, RocksDBException {
    KeyGroupRange copied = handle.keyGroupRange().intersect(range);
    byte[] start = StateKey.keyGroupPrefix(copied.start());
    try (CheckpointedDb source =
        CheckpointedDb.open(handle, root, directory.resolve("restore-" + UUID.randomUUID()))) {
      for (int i = 0; i < source.states().size(); i++) {
        StateMeta meta = source.states().get(i).meta();
        StateColumnFamily target = restoredColumnFamily(meta);
        if (target.timestamped() != meta.ttl()) {
          throw new IllegalStateException(
              "state '" + meta.name() + "' is restored both with and without a time-to-live");
        }
        try (RocksIterator it = source.db().newIterator(source.columnFamily(i));
            WriteBatch batch = new WriteBatch()) {
          for (it.seek(start); it.isValid(); it.next()) {
            byte[] key = it.key();
            if (StateKey.keyGroupOf(key) > copied.end()) {
              break;
            }
            batch.put(target.handle, key, it.value());
            if (batch.getDataSize() >= RESTORE_BATCH_BYTES) {
              write(batch);
              batch.clear();
            }
          }
          it.status();
          write(batch);
        }
      }
    }
    LOG.info("{}: restored key groups {} of a checkpoint of {}", name, copied,
        handle.keyGroupRange());
  }

  @Override
  public void restoreEntry(int keyGroup, StateMeta state, byte[] key, byte[] payload)
      throws IOException {
    if (!range.contains(keyGroup)) {
      return;
    }
    if (states.values().stream().anyMatch(StateColumnFamily::isDeclared)) {
      throw new IllegalStateException("restore after state was declared");
    }
    try {
      StateColumnFamily target = restoredColumnFamily(state);
      stateKey.set(keyGroup, key, key.length);
      long now = clock.getAsLong();
      switch (target.meta.kind()) {
        case LIST -> {
          ValueLayout.listFromCanonical(payload, target.timestamped(), now, restoredValue);
          putRestored(target, stateKey.prefixLength());
        }
        case MAP -> restoreMap(target, payload, now);
        default -> {
          ValueLayout.singleFromCanonical(
              payload, payload.length, target.timestamped(), now, restoredValue);
          putRestored(target, stateKey.prefixLength());
        }
      }
    } catch (RocksDBException e) {
      throw new IOException("cannot restore state '" + state.name() + "' into RocksDB: " + e, e);
    }
  }

  /** One RocksDB entry per entry of the canonical map payload. */
  private void restoreMap(StateColumnFamily target, byte[] payload, long now)
      throws IOException, RocksDBException {
    int count = ValueLayout.readInt(payload, 0);
    int offset = Integer.BYTES;
    for (int i = 0; i < count; i++) {
      int userKeyLength = ValueLayout.readInt(payload, offset);
      stateKey.setUserKey(payload, offset + Integer.BYTES, userKeyLength);
      offset += Integer.BYTES + userKeyLength;
      long timestamp = ValueLayout.readLong(payload, offset);
      int valueLength = ValueLayout.readInt(payload, offset + ValueLayout.TIMESTAMP_BYTES);
      offset += ValueLayout.TIMESTAMP_BYTES + Integer.BYTES;
      restoredValue.reset();
      ValueLayout.writeValue(
          restoredValue, target.timestamped(), timestamp, now, payload, offset, valueLength);
      offset += valueLength;
      putRestored(target, stateKey.length());
    }
  }

  private void putRestored(StateColumnFamily target, int keyLength) throws RocksDBException {
    put(target, stateKey.bytes(), keyLength, restoredValue.bytes(), restoredValue.length());
  }

  // ---- snapshots ----

  @Override
  public Callable<KeyedStateHandle> snapshot(SnapshotTarget target) throws Exception {
    if (states.isEmpty()) {
      return null;
    }
    List<SnapshotState> snapshotStates = new ArrayList<>(states.size());
    for (StateColumnFamily state : states.values()) {
      snapshotStates.add(new SnapshotState(state.meta, state.ttlMillis));
    }
    return snapshots.snapshot(db, target, range, snapshotStates, clock.getAsLong());
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    snapshots.notifyComplete(checkpointId);
  }

  /**
   * A property of the database, e.g. {@code rocksdb.block-cache-usage} (of the cache shared by
   * the backend's databases) or {@code rocksdb.estimate-live-data-size}; 0 before it is opened.
   */
  public long property(String property) throws RocksDBException {
    return db == null ? 0 : db.getLongProperty(defaultColumnFamily, property);
  }

  @Override
  public void close() throws IOException {
    try {
      states.values().forEach(state -> state.handle.close());
      states.clear();
      if (defaultColumnFamily != null) {
        defaultColumnFamily.close();
      }
      if (db != null) {
        db.close();
        db = null;
      }
      ttlCleanup.close();
      readOptions.close();
      writeOptions.close();
    } finally {
      resources.close();
      LocalFiles.deleteRecursively(directory);
    }
  }

  @Override
  public String toString() {
    return "RocksDB keyed state of " + name + " in " + directory;
  }
}
