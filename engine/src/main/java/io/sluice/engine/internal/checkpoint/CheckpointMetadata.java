package io.sluice.engine.internal.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Everything a completed checkpoint holds.
 *
 * <p>Binary layout (big endian, {@link DataOutputStream}): {@code int magic "SLCK", int version,
 * long checkpointId, long timestampMillis, UTF pipelineId, int sourceCount, per source {UTF name,
 * int subtasks, per subtask {int length, bytes}}, int sinkCount, per sink {UTF name, int subtasks,
 * per subtask {int count, per committable {int length, bytes}}}, long recordsWritten, int crc32c}
 * where the checksum covers every byte before it.
 *
 * @param sourceStates per source name, the reader states in subtask order
 * @param sinkCommittables per sink name, per writer subtask, its serialized committables
 * @param recordsWritten records the sink writers received between the previous checkpoint and
 *     this one
 */
public record CheckpointMetadata(
    String pipelineId,
    long checkpointId,
    long timestampMillis,
    Map<String, List<byte[]>> sourceStates,
    Map<String, List<List<byte[]>>> sinkCommittables,
    long recordsWritten) {

  static final int MAGIC = 0x534C434B; // "SLCK"
  static final int VERSION = 1;

  public CheckpointMetadata {
    sourceStates = Collections.unmodifiableMap(new LinkedHashMap<>(sourceStates));
    sinkCommittables = Collections.unmodifiableMap(new LinkedHashMap<>(sinkCommittables));
  }

  /** All committables of a sink, writer subtask by subtask; empty if the sink is unknown. */
  public List<byte[]> committablesOf(String sink) {
    List<List<byte[]>> perSubtask = sinkCommittables.get(sink);
    if (perSubtask == null) {
      return List.of();
    }
    List<byte[]> all = new ArrayList<>();
    perSubtask.forEach(all::addAll);
    return all;
  }

  public byte[] toBytes() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeLong(checkpointId);
    out.writeLong(timestampMillis);
    out.writeUTF(pipelineId);
    out.writeInt(sourceStates.size());
    for (Map.Entry<String, List<byte[]>> e : sourceStates.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeInt(e.getValue().size());
      for (byte[] state : e.getValue()) {
        writeBytes(out, state);
      }
    }
    out.writeInt(sinkCommittables.size());
    for (Map.Entry<String, List<List<byte[]>>> e : sinkCommittables.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeInt(e.getValue().size());
      for (List<byte[]> subtask : e.getValue()) {
        out.writeInt(subtask.size());
        for (byte[] c : subtask) {
          writeBytes(out, c);
        }
      }
    }
    out.writeLong(recordsWritten);
    out.flush();
    CRC32C crc = new CRC32C();
    crc.update(bytes.toByteArray());
    out.writeInt((int) crc.getValue());
    out.flush();
    return bytes.toByteArray();
  }

  /** Parses {@link #toBytes()} output; {@code origin} names the file in error messages. */
  public static CheckpointMetadata fromBytes(byte[] data, String origin)
      throws CheckpointCorruptedException {
    try {
      if (data.length < 4 + 4 + 4) {
        throw new IOException("file too short (" + data.length + " bytes)");
      }
      CRC32C crc = new CRC32C();
      crc.update(data, 0, data.length - 4);
      int stored =
          ((data[data.length - 4] & 0xff) << 24)
              | ((data[data.length - 3] & 0xff) << 16)
              | ((data[data.length - 2] & 0xff) << 8)
              | (data[data.length - 1] & 0xff);
      DataInputStream in =
          new DataInputStream(new ByteArrayInputStream(data, 0, data.length - 4));
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IOException("not a Sluice checkpoint metadata file (bad magic)");
      }
      if ((int) crc.getValue() != stored) {
        throw new IOException("checksum mismatch");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException("unsupported metadata version " + version);
      }
      long id = in.readLong();
      long ts = in.readLong();
      String pipelineId = in.readUTF();
      int sources = count(in.readInt());
      Map<String, List<byte[]>> states = new LinkedHashMap<>();
      for (int i = 0; i < sources; i++) {
        String name = in.readUTF();
        int subtasks = count(in.readInt());
        List<byte[]> list = new ArrayList<>(subtasks);
        for (int s = 0; s < subtasks; s++) {
          list.add(readBytes(in));
        }
        states.put(name, list);
      }
      int sinks = count(in.readInt());
      Map<String, List<List<byte[]>>> committables = new LinkedHashMap<>();
      for (int i = 0; i < sinks; i++) {
        String name = in.readUTF();
        int subtasks = count(in.readInt());
        List<List<byte[]>> perSubtask = new ArrayList<>(subtasks);
        for (int s = 0; s < subtasks; s++) {
          int n = count(in.readInt());
          List<byte[]> list = new ArrayList<>(n);
          for (int c = 0; c < n; c++) {
            list.add(readBytes(in));
          }
          perSubtask.add(list);
        }
        committables.put(name, perSubtask);
      }
      long records = in.readLong();
      if (in.available() != 0) {
        throw new IOException(in.available() + " unexpected trailing bytes");
      }
      return new CheckpointMetadata(pipelineId, id, ts, states, committables, records);
    } catch (EOFException e) {
      throw new CheckpointCorruptedException(
          "checkpoint metadata file " + origin + " is corrupt: truncated", e);
    } catch (IOException | RuntimeException e) {
      throw new CheckpointCorruptedException(
          "checkpoint metadata file " + origin + " is corrupt: " + e.getMessage(), e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int len = count(in.readInt());
    if (len > in.available()) {
      throw new EOFException();
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }

  private static int count(int n) throws IOException {
    if (n < 0) {
      throw new IOException("negative length " + n);
    }
    return n;
  }
}
