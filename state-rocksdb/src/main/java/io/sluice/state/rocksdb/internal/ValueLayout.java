package io.sluice.state.rocksdb.internal;

import io.sluice.engine.internal.state.StatePayloads;
import io.sluice.engine.internal.state.StatePayloads.PayloadWriter;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * How values are stored, and their conversion to and from the canonical payloads of {@link
 * StatePayloads}. {@code ttl} tells whether a column family's values carry the time-to-live
 * timestamp (the processing time of their last write, or read if reads refresh it):
 *
 * <pre>
 * VALUE, REDUCING, AGGREGATING, and each MAP entry: [long timestamp] value bytes
 * LIST: its elements one after the other, each [long timestamp] int length, element bytes
 * </pre>
 *
 * A list value is the concatenation of the operands that the append operator merges; each
 * element expires on its own, like each map entry.
 */
final class ValueLayout {
  static final int TIMESTAMP_BYTES = Long.BYTES;
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private ValueLayout() {}

  /** Receives one list element: its timestamp and where its bytes are. */
  @FunctionalInterface
  interface ElementVisitor {
    void element(long timestamp, int offset, int length) throws IOException;
  }

  static long readLong(byte[] bytes, int offset) {
    return (long) LONG.get(bytes, offset);
  }

  static void writeLong(byte[] bytes, int offset, long value) {
    LONG.set(bytes, offset, value);
  }

  static int readInt(byte[] bytes, int offset) {
    return (int) INT.get(bytes, offset);
  }

  /** Where the serialized value of a single value (or map entry) starts. */
  static int valueOffset(boolean ttl) {
    return ttl ? TIMESTAMP_BYTES : 0;
  }

  static void forEachElement(byte[] list, int length, boolean ttl, ElementVisitor visitor)
      throws IOException {
    int offset = 0;
    while (offset < length) {
      long timestamp = StatePayloads.NO_TTL;
      if (ttl) {
        timestamp = readLong(list, offset);
        offset += TIMESTAMP_BYTES;
      }
      int elementLength = readInt(list, offset);
      offset += Integer.BYTES;
      visitor.element(timestamp, offset, elementLength);
      offset += elementLength;
    }
  }

  static void writeElement(
      PayloadWriter out, boolean ttl, long timestamp, byte[] bytes, int offset, int length)
      throws IOException {
    if (ttl) {
      out.writeLong(timestamp);
    }
    out.writeInt(length);
    out.out().write(bytes, offset, length);
  }

  /** Writes the elements of a stored list not expired at {@code now}; returns how many. */
  static int retainLive(
      byte[] list, int length, boolean ttl, long ttlMillis, long now, PayloadWriter out)
      throws IOException {
    return writeLive(list, length, ttl, ttlMillis, now, ttl, out);
  }

  /** Writes the live elements, with timestamps if {@code timestamps}; returns how many. */
  private static int writeLive(
      byte[] list, int length, boolean ttl, long ttlMillis, long now, boolean timestamps,
      PayloadWriter out) throws IOException {
    int[] live = {0};
    forEachElement(list, length, ttl, (timestamp, offset, elementLength) -> {
      if (!StatePayloads.expired(timestamp, ttlMillis, now)) {
        writeElement(out, timestamps, timestamp, list, offset, elementLength);
        live[0]++;
      }
    });
    return live[0];
  }

  // ---- canonical payloads ----

  /** The canonical payload of a stored single value; false if it expired at {@code now}. */
  static boolean singleToCanonical(
      byte[] value, int length, boolean ttl, long ttlMillis, long now, PayloadWriter out)
      throws IOException {
    long timestamp = ttl ? readLong(value, 0) : StatePayloads.NO_TTL;
    if (StatePayloads.expired(timestamp, ttlMillis, now)) {
      return false;
    }
    int offset = valueOffset(ttl);
    out.reset().writeLong(timestamp).out().write(value, offset, length - offset);
    return true;
  }

  /**
   * The stored form of a canonical single-value payload ({@code payload[0..length)}). A value
   * written without a time-to-live is stamped {@code now} when the state has one now.
   */
  static void singleFromCanonical(
      byte[] payload, int length, boolean ttl, long now, PayloadWriter out) throws IOException {
    out.reset();
    writeValue(out, ttl, readLong(payload, 0), now, payload, TIMESTAMP_BYTES,
        length - TIMESTAMP_BYTES);
  }

  /** Writes a restored single value or map value with its canonical {@code timestamp}. */
  static void writeValue(
      PayloadWriter out, boolean ttl, long timestamp, long now, byte[] bytes, int offset,
      int length) throws IOException {
    if (ttl) {
      out.writeLong(restoredTimestamp(timestamp, now));
    }
    out.out().write(bytes, offset, length);
  }

  /** The canonical payload of a stored list's live elements; false if none is live. */
  static boolean listToCanonical(
      byte[] list, int length, boolean ttl, long ttlMillis, long now, PayloadWriter out)
      throws IOException {
    int[] live = {0};
    forEachElement(list, length, ttl, (timestamp, offset, elementLength) -> {
      if (!StatePayloads.expired(timestamp, ttlMillis, now)) {
        live[0]++;
      }
    });
    if (live[0] == 0) {
      return false;
    }
    out.reset().writeInt(live[0]);
    writeLive(list, length, ttl, ttlMillis, now, true, out);
    return true;
  }

  /** The stored form of a canonical list payload. */
  static void listFromCanonical(byte[] payload, boolean ttl, long now, PayloadWriter out)
      throws IOException {
    out.reset();
    int count = readInt(payload, 0);
    int offset = Integer.BYTES;
    for (int i = 0; i < count; i++) {
      long timestamp = restoredTimestamp(readLong(payload, offset), now);
      int elementLength = readInt(payload, offset + TIMESTAMP_BYTES);
      offset += TIMESTAMP_BYTES + Integer.BYTES;
      writeElement(out, ttl, timestamp, payload, offset, elementLength);
      offset += elementLength;
    }
  }

  private static long restoredTimestamp(long timestamp, long now) {
    return timestamp == StatePayloads.NO_TTL ? now : timestamp;
  }
}
