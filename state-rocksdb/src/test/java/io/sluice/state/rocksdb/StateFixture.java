package io.sluice.state.rocksdb;

import io.sluice.engine.internal.checkpoint.CheckpointMetadata;
import io.sluice.engine.internal.checkpoint.CheckpointStorage;
import io.sluice.engine.internal.checkpoint.OperatorState;
import io.sluice.engine.internal.checkpoint.OperatorSubtaskState;
import io.sluice.engine.internal.graph.StreamNode;
import io.sluice.engine.internal.state.KeyBytes;
import io.sluice.engine.internal.state.KeyGroupRange;
import io.sluice.engine.internal.state.KeyGroups;
import io.sluice.engine.internal.state.KeyedBackendParameters;
import io.sluice.engine.internal.state.KeyedStateBackend;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.internal.state.KeyedStateHandleCodecs;
import io.sluice.engine.state.Serializer;
import io.sluice.engine.state.Serializers;
import io.sluice.engine.state.StateBackend;
import io.sluice.engine.state.StateBackends;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives keyed state backends through the engine's SPI, as the keyed operator does: backends
 * with string keys and a settable clock, checkpoints into a {@link CheckpointStorage}, restores
 * from its handles. Closes every backend it created.
 */
final class StateFixture implements AutoCloseable {
  static final int MAX_PARALLELISM = 32;
  static final String OPERATOR = "dedupe";
  static final long MEMORY = 32L << 20;

  final AtomicLong clock = new AtomicLong(1_000_000);
  final CheckpointStorage storage;
  final RocksDbStateBackend rocksDb;
  private final List<KeyedStateBackend<?>> created = new ArrayList<>();

  StateFixture(Path dir) {
    this.storage = new CheckpointStorage(dir.resolve("checkpoints"));
    this.rocksDb = new RocksDbStateBackend(dir.resolve("work"), MEMORY);
  }

  KeyedStateBackend<String> rocksDb(int subtask, int parallelism) throws Exception {
    return create(rocksDb, subtask, parallelism, Serializers.string());
  }

  <K> KeyedStateBackend<K> rocksDb(int subtask, int parallelism, Serializer<K> keys)
      throws Exception {
    return create(rocksDb, subtask, parallelism, keys);
  }

  KeyedStateBackend<String> heap(int subtask, int parallelism) throws Exception {
    return create(StateBackends.heap(), subtask, parallelism, Serializers.string());
  }

  private <K> KeyedStateBackend<K> create(
      StateBackend backend, int subtask, int parallelism, Serializer<K> keys) throws Exception {
    KeyGroupRange range = KeyGroups.rangeOf(MAX_PARALLELISM, parallelism, subtask);
    KeyedStateBackend<K> keyed =
        backend.createKeyedStateBackend(
            new KeyedBackendParameters<>(
                "pipe", OPERATOR, subtask, parallelism, MAX_PARALLELISM, range, keys, clock::get));
    created.add(keyed);
    return keyed;
  }

  /**
   * Takes checkpoint {@code id} of {@code subtasks} (in subtask order), completes it in the
   * storage and notifies them, as the coordinator does; returns its handles.
   */
  List<KeyedStateHandle> checkpoint(long id, KeyedStateBackend<?>... subtasks) throws Exception {
    List<Callable<KeyedStateHandle>> uploads = new ArrayList<>();
    for (KeyedStateBackend<?> subtask : subtasks) {
      uploads.add(subtask.snapshot(storage.target(id)));
    }
    List<OperatorSubtaskState> states = new ArrayList<>();
    List<KeyedStateHandle> handles = new ArrayList<>();
    for (Callable<KeyedStateHandle> upload : uploads) {
      KeyedStateHandle handle = upload.call();
      handles.add(handle);
      states.add(new OperatorSubtaskState(null, List.of(handle)));
    }
    storage.write(
        new CheckpointMetadata(
            "pipe", "lineage-1", id, clock.get(), CheckpointMetadata.Kind.CHECKPOINT,
            MAX_PARALLELISM,
            Map.of(OPERATOR, new OperatorState(OPERATOR, StreamNode.Kind.KEYED, null, states))));
    for (KeyedStateBackend<?> subtask : subtasks) {
      subtask.notifyCheckpointComplete(id);
    }
    return handles;
  }

  /** The handles of completed checkpoint {@code id}, read back from its metadata. */
  List<KeyedStateHandle> load(long id) throws Exception {
    return storage.load(id).keyedStateHandles();
  }

  /** The key group of {@code key}. */
  static int keyGroup(String key) throws IOException {
    byte[] bytes = KeyBytes.of(Serializers.string(), key);
    return KeyGroups.keyGroupOf(bytes, bytes.length, MAX_PARALLELISM);
  }

  /** The backend among {@code subtasks} that owns {@code key}. */
  @SafeVarargs
  static <K> KeyedStateBackend<K> owner(String key, KeyedStateBackend<K>... subtasks)
      throws IOException {
    int keyGroup = keyGroup(key);
    for (KeyedStateBackend<K> subtask : subtasks) {
      if (subtask.keyGroupRange().contains(keyGroup)) {
        return subtask;
      }
    }
    throw new IllegalArgumentException("no subtask owns " + key);
  }

  /** The canonical entries of {@code handle} (under the storage root): "state/key", in order. */
  List<String> entries(KeyedStateHandle handle) throws IOException {
    List<String> entries = new ArrayList<>();
    KeyedStateHandleCodecs.forKind(handle.kind())
        .readEntries(handle, storage.directory(), handle.keyGroupRange(),
            (keyGroup, state, key, payload) -> entries.add(state.name() + "/" + key(key)));
    return entries;
  }

  /** The key of a canonical entry. */
  static String key(byte[] serialized) throws IOException {
    return Serializers.string().deserialize(new DataInputStream(new ByteArrayInputStream(serialized)));
  }

  /** Restores {@code backend} from {@code handles} (under {@code root}), as the keyed operator does. */
  static void restore(KeyedStateBackend<?> backend, List<KeyedStateHandle> handles, Path root)
      throws Exception {
    List<KeyedStateHandle> natives = new ArrayList<>();
    for (KeyedStateHandle handle : handles) {
      if (backend.restoresNatively(handle)) {
        natives.add(handle);
      }
    }
    if (!natives.isEmpty()) {
      backend.restoreNative(natives, root);
    }
    for (KeyedStateHandle handle : handles) {
      if (!backend.restoresNatively(handle)) {
        KeyedStateHandleCodecs.forKind(handle.kind())
            .readEntries(handle, root, backend.keyGroupRange(), backend::restoreEntry);
      }
    }
  }

  void restore(KeyedStateBackend<?> backend, List<KeyedStateHandle> handles) throws Exception {
    restore(backend, handles, storage.directory());
  }

  @Override
  public void close() throws Exception {
    for (KeyedStateBackend<?> backend : created) {
      backend.close();
    }
  }
}
