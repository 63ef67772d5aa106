package io.sluice.engine.internal.state;

import java.io.IOException;

/**
 * What every keyed state backend does the same way: it keeps the current key, serialized, with
 * its key group, and refuses keys of groups the subtask does not own.
 */
public abstract class AbstractKeyedStateBackend<K> implements KeyedStateBackend<K> {
  private final KeyedBackendParameters<K> parameters;
  private final KeyBytes keyBytes = new KeyBytes();
  private K currentKey;
  private int currentKeyGroup = -1;

  protected AbstractKeyedStateBackend(KeyedBackendParameters<K> parameters) {
    this.parameters = parameters;
  }

  @Override
  public final KeyGroupRange keyGroupRange() {
    return parameters.keyGroupRange();
  }

  @Override
  public final void setCurrentKey(K key) throws IOException {
    keyBytes.serialize(parameters.keySerializer(), key);
    int keyGroup =
        KeyGroups.keyGroupOf(keyBytes.bytes(), keyBytes.length(), parameters.maxParallelism());
    if (!parameters.keyGroupRange().contains(keyGroup)) {
      throw new IllegalStateException(
          "key " + key + " belongs to key group " + keyGroup + ", which subtask "
              + parameters.subtaskIndex() + " of operator " + parameters.operatorId()
              + " does not own (" + parameters.keyGroupRange() + "): the key selector or its"
              + " serializer is not deterministic");
    }
    currentKey = key;
    currentKeyGroup = keyGroup;
    currentKeyChanged(keyGroup, keyBytes.bytes(), keyBytes.length());
  }

  /** Lets the backend derive its own form of the key {@link #setCurrentKey} just set. */
  protected abstract void currentKeyChanged(int keyGroup, byte[] keyBytes, int keyLength);

  @Override
  public final K currentKey() {
    return currentKey;
  }

  @Override
  public final int currentKeyGroup() {
    return currentKeyGroup;
  }

  @Override
  public final byte[] currentKeyBytes() {
    return keyBytes.bytes();
  }

  @Override
  public final int currentKeyLength() {
    return keyBytes.length();
  }

  /** @throws IllegalStateException when state is used before any key was set */
  protected final void requireCurrentKey() {
    if (currentKeyGroup < 0) {
      throw new IllegalStateException("keyed state used outside of a keyed context");
    }
  }
}
