package io.sluice.engine.internal.state;

import io.sluice.engine.state.State;
import io.sluice.engine.state.StateDescriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The keyed state of one operator subtask: the values of the key groups it owns, for the key set
 * with {@link #setCurrentKey}. Driven by one task thread only, except the asynchronous part of a
 * snapshot, which runs on another thread while the task goes on.
 *
 * <p>Restore happens before the first {@link #state} call: handles the backend reads natively
 * ({@link #restoresNatively}) go to {@link #restoreNative}; every other handle is read as
 * canonical entries and each entry handed to {@link #restoreEntry}.
 */
public interface KeyedStateBackend<K> extends AutoCloseable {

  KeyGroupRange keyGroupRange();

  /**
   * Sets the key that state calls act on.
   *
   * @throws IllegalStateException if the key's group is not owned by this subtask (a key
   *     selector or serializer that is not deterministic)
   */
  void setCurrentKey(K key) throws IOException;

  K currentKey();

  int currentKeyGroup();

  /** The serialized current key (valid until the next {@link #setCurrentKey}). */
  byte[] currentKeyBytes();

  int currentKeyLength();

  /** The state declared by {@code descriptor}, bound to the current key. */
  <S extends State> S state(StateDescriptor<S> descriptor) throws Exception;

  boolean restoresNatively(KeyedStateHandle handle);

  void restoreNative(List<KeyedStateHandle> handles, Path root) throws Exception;

  void restoreEntry(int keyGroup, StateMeta state, byte[] key, byte[] payload) throws IOException;

  /**
   * Takes the synchronous part of a snapshot (short: no copying of all state) and returns the
   * asynchronous part, which writes the files and returns the handle, or null when there is no
   * state.
   */
  Callable<KeyedStateHandle> snapshot(SnapshotTarget target) throws Exception;

  /** Checkpoint {@code checkpointId} is durable: its files may be built upon. */
  default void notifyCheckpointComplete(long checkpointId) throws Exception {}

  @Override
  void close() throws Exception;
}
