package io.sluice.engine.internal.state;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The canonical payload layouts of keyed state entries, by {@link StateKind}. A time-to-live
 * timestamp is the processing time of the last write (or read, if reads refresh it), or {@link
 * #NO_TTL} for states without a time-to-live.
 *
 * <pre>
 * VALUE, REDUCING, AGGREGATING: long ttlTimestamp, value bytes (the rest)
 * LIST:                         int n, n x {long ttlTimestamp, int length, element bytes}
 * MAP:                          int n, n x {int keyLength, user key bytes, long ttlTimestamp, int length, value bytes}
 * PROCESSING/EVENT_TIMERS:      int n, n x long time
 * </pre>
 *
 * Value bytes are the state serializer's output. A {@code PayloadWriter} is reused across entries.
 */
public final class StatePayloads {
  public static final long NO_TTL = -1;

  private StatePayloads() {}

  /** True when a value stamped {@code ttlTimestamp} is expired at {@code now}. */
  public static boolean expired(long ttlTimestamp, long ttlMillis, long now) {
    return ttlTimestamp != NO_TTL && ttlMillis > 0 && now - ttlTimestamp >= ttlMillis;
  }

  /** Builds one payload at a time in a reused buffer. */
  public static final class PayloadWriter {
    private final Buffer buffer = new Buffer();
    private final DataOutputStream out = new DataOutputStream(buffer);

    public PayloadWriter reset() {
      buffer.reset();
      return this;
    }

    public DataOutputStream out() {
      return out;
    }

    public PayloadWriter writeLong(long v) throws IOException {
      out.writeLong(v);
      return this;
    }

    public PayloadWriter writeInt(int v) throws IOException {
      out.writeInt(v);
      return this;
    }

    /** Writes {@code bytes[0..length)} with an int length prefix. */
    public PayloadWriter writeSized(byte[] bytes, int length) throws IOException {
      out.writeInt(length);
      out.write(bytes, 0, length);
      return this;
    }

    public PayloadWriter writeRaw(byte[] bytes, int length) throws IOException {
      out.write(bytes, 0, length);
      return this;
    }

    public byte[] bytes() {
      return buffer.array();
    }

    public int length() {
      return buffer.size();
    }

    private static final class Buffer extends ByteArrayOutputStream {
      Buffer() {
        super(128);
      }

      byte[] array() {
        return buf;
      }
    }
  }
}
