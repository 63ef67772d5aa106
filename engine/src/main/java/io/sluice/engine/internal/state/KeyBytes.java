package io.sluice.engine.internal.state;

import io.sluice.engine.state.Serializer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A reusable buffer that serializes keys (or values) without allocating per call: {@link
 * #serialize} fills it, {@link #bytes()} and {@link #length()} expose the result until the next
 * call.
 */
public final class KeyBytes {
  private final Buffer buffer = new Buffer();
  private final DataOutputStream out = new DataOutputStream(buffer);

  public <T> void serialize(Serializer<T> serializer, T value) throws IOException {
    buffer.reset();
    serializer.serialize(value, out);
  }

  public byte[] bytes() {
    return buffer.array();
  }

  public int length() {
    return buffer.size();
  }

  public byte[] copy() {
    return Arrays.copyOf(buffer.array(), buffer.size());
  }

  /** Serializes {@code value} into a new array. */
  public static <T> byte[] of(Serializer<T> serializer, T value) throws IOException {
    KeyBytes bytes = new KeyBytes();
    bytes.serialize(serializer, value);
    return bytes.copy();
  }

  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(64);
    }

    byte[] array() {
      return buf;
    }
  }
}
