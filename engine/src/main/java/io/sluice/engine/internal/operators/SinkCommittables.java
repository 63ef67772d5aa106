package io.sluice.engine.internal.operators;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator state of a sink writer subtask for one checkpoint: {@code byte version 1, long
 * records, int count, count x {int length, bytes}}, the committables serialized by the sink.
 *
 * @param records records the writer received since the previous checkpoint
 */
public record SinkCommittables(long records, List<byte[]> committables) {
  private static final int VERSION = 1;

  public static byte[] encode(long records, List<byte[]> committables) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(VERSION);
      out.writeLong(records);
      out.writeInt(committables.size());
      for (byte[] c : committables) {
        out.writeInt(c.length);
        out.write(c);
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SinkCommittables decode(byte[] state) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
    int version = in.readUnsignedByte();
    if (version != VERSION) {
      throw new IOException("unknown sink committables format " + version);
    }
    long records = in.readLong();
    int n = in.readInt();
    List<byte[]> committables = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] c = new byte[in.readInt()];
      in.readFully(c);
      committables.add(c);
    }
    return new SinkCommittables(records, committables);
  }
}
