package io.sluice.engine.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Turns keys and state values into bytes and back. The bytes of a key decide its key group (and
 * so the subtask that owns it), and checkpoints and savepoints keep values as these bytes: a
 * serializer's format must not change while state written with it is to be restored.
 *
 * <p>See {@link Serializers} for the built-in ones.
 */
public interface Serializer<T> {

  void serialize(T value, DataOutput out) throws IOException;

  T deserialize(DataInput in) throws IOException;

  /**
   * A copy that the caller may change without affecting {@code value}. Immutable types (the
   * default) return the value itself; mutable ones (arrays, collections) must copy it, because the
   * heap state backend shares stored values with snapshots that are still being written.
   */
  default T copy(T value) {
    return value;
  }
}
