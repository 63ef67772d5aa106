package io.sluice.delta;

import io.sluice.engine.sink.CommittableSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compact binary form of a {@link DeltaCommittable} for checkpoint state: a format version byte,
 * then the fields; strings that may exceed 64 KiB (stats) are length-prefixed UTF-8.
 */
public final class DeltaCommittableSerializer implements CommittableSerializer<DeltaCommittable> {
  public static final DeltaCommittableSerializer INSTANCE = new DeltaCommittableSerializer();
  private static final int FORMAT_V1 = 1;

  @Override
  public byte[] serialize(DeltaCommittable c) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + c.statsJson().length());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_V1);
      writeString(out, c.relativePath());
      out.writeLong(c.sizeBytes());
      out.writeLong(c.modificationTime());
      out.writeLong(c.numRecords());
      out.writeInt(c.partitionValues().size());
      for (Map.Entry<String, String> e : c.partitionValues().entrySet()) {
        writeString(out, e.getKey());
        out.writeBoolean(e.getValue() != null);
        if (e.getValue() != null) {
          writeString(out, e.getValue());
        }
      }
      writeString(out, c.statsJson());
    }
    return bytes.toByteArray();
  }

  @Override
  public DeltaCommittable deserialize(byte[] data) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT_V1) {
        throw new IOException("unknown DeltaCommittable format " + format);
      }
      String path = readString(in);
      long size = in.readLong();
      long mtime = in.readLong();
      long records = in.readLong();
      int partitions = in.readInt();
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i < partitions; i++) {
        String key = readString(in);
        values.put(key, in.readBoolean() ? readString(in) : null);
      }
      String stats = readString(in);
      return new DeltaCommittable(path, size, mtime, values, records, stats);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int len = in.readInt();
    if (len < 0) {
      throw new IOException("corrupt DeltaCommittable: negative string length");
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
