package io.sluice.engine.internal.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Stores one kind of {@link KeyedStateHandle} in checkpoint metadata and reads its state as
 * canonical entries. Backends outside the engine register theirs with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/io.sluice.engine.internal.state.KeyedStateHandleCodec}).
 */
public interface KeyedStateHandleCodec {

  String kind();

  void write(KeyedStateHandle handle, DataOutput out) throws IOException;

  KeyedStateHandle read(DataInput in) throws IOException;

  /** The states the handle holds entries of. */
  List<StateMeta> states(KeyedStateHandle handle, Path root) throws IOException;

  /**
   * Visits the handle's entries whose key group is in {@code range}, key group by key group in
   * ascending order.
   *
   * @param root the directory the handle's paths are relative to
   */
  void readEntries(
      KeyedStateHandle handle, Path root, KeyGroupRange range, CanonicalEntryVisitor visitor)
      throws IOException;
}
