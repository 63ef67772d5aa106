package io.sluice.engine.internal.checkpoint;

import io.sluice.engine.internal.graph.StreamNode;
import io.sluice.engine.internal.operators.SinkCommittables;
import io.sluice.engine.internal.state.KeyGroups;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.internal.state.KeyedStateHandleCodec;
import io.sluice.engine.internal.state.KeyedStateHandleCodecs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * Everything a completed checkpoint or savepoint holds: per operator id, the state of each subtask
 * (inline bytes and keyed state handles) and of its coordinator, and the job's {@code
 * maxParallelism}, fixed at the first start because it decides which key group a key is in, and
 * its {@code lineage}: an id created at the pipeline's fresh start and carried by every later
 * checkpoint and savepoint, so a sink can tell this pipeline's history from another one that runs
 * under the same pipeline id from another checkpoint directory.
 *
 * <p>Format version 2 (big endian, {@link DataOutputStream}): {@code int magic "SLCK", int
 * version, long checkpointId, long timestampMillis, UTF pipelineId, UTF lineage, byte kind,
 * int maxParallelism, int operators, per operator {UTF id, byte nodeKind, bytes?
 * coordinatorState, int subtasks, per subtask {bytes? operatorState, int handles, per handle {UTF
 * handleKind, handle}}}, int crc32c} where {@code bytes?} is {@code int length (-1 = none), bytes} and the checksum covers
 * every byte before it.
 *
 * <p>Version 1 files (written before operators had ids: one section of source states and one of
 * sink committables, keyed by name) are still read, as operators named like their sources and
 * sinks; {@link #formatVersion()} tells which was read. They had no lineage: theirs is derived
 * from the pipeline id ({@link #legacyLineage}), the same for every version 1 checkpoint of it.
 */
public record CheckpointMetadata(
    String pipelineId,
    String lineage,
    long checkpointId,
    long timestampMillis,
    Kind kind,
    int maxParallelism,
    Map<String, OperatorState> operators,
    int formatVersion) {

  /** A periodic (or final) checkpoint of the job, or a savepoint the user asked for. */
  public enum Kind {
    CHECKPOINT,
    SAVEPOINT
  }

  static final int MAGIC = 0x534C434B; // "SLCK"
  static final int VERSION = 2;

  public CheckpointMetadata {
    Objects.requireNonNull(lineage, "lineage");
    operators = Collections.unmodifiableMap(new LinkedHashMap<>(operators));
  }

  public CheckpointMetadata(
      String pipelineId,
      String lineage,
      long checkpointId,
      long timestampMillis,
      Kind kind,
      int maxParallelism,
      Map<String, OperatorState> operators) {
    this(
        pipelineId, lineage, checkpointId, timestampMillis, kind, maxParallelism, operators,
        VERSION);
  }

  public CheckpointMetadata withKind(Kind newKind, Map<String, OperatorState> newOperators) {
    return new CheckpointMetadata(
        pipelineId, lineage, checkpointId, timestampMillis, newKind, maxParallelism, newOperators);
  }

  /** A new lineage, for a pipeline's fresh start. */
  public static String newLineage() {
    return UUID.randomUUID().toString();
  }

  /**
   * The lineage of a pipeline's version 1 checkpoints, which recorded none: derived from the
   * pipeline id, so every restore of them (and the checkpoints that follow) agrees on it.
   */
  public static String legacyLineage(String pipelineId) {
    return UUID.nameUUIDFromBytes(("sluice-v1:" + pipelineId).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** Every keyed state handle of the checkpoint. */
  public List<KeyedStateHandle> keyedStateHandles() {
    List<KeyedStateHandle> handles = new ArrayList<>();
    for (OperatorState op : operators.values()) {
      for (OperatorSubtaskState s : op.subtasks()) {
        handles.addAll(s.keyedState());
      }
    }
    return handles;
  }

  public byte[] toBytes() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeLong(checkpointId);
    out.writeLong(timestampMillis);
    out.writeUTF(pipelineId);
    out.writeUTF(lineage);
    out.writeByte(kind.ordinal());
    out.writeInt(maxParallelism);
    out.writeInt(operators.size());
    for (OperatorState op : operators.values()) {
      out.writeUTF(op.operatorId());
      out.writeByte(op.kind().ordinal());
      writeOptionalBytes(out, op.coordinatorState());
      out.writeInt(op.subtasks().size());
      for (OperatorSubtaskState s : op.subtasks()) {
        writeOptionalBytes(out, s.operatorState());
        out.writeInt(s.keyedState().size());
        for (KeyedStateHandle h : s.keyedState()) {
          out.writeUTF(h.kind());
          KeyedStateHandleCodecs.forKind(h.kind()).write(h, out);
        }
      }
    }
    out.flush();
    CRC32C crc = new CRC32C();
    crc.update(bytes.toByteArray());
    out.writeInt((int) crc.getValue());
    out.flush();
    return bytes.toByteArray();
  }

  /** Parses {@link #toBytes()} output (or a version 1 file); {@code origin} names the file. */
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
      if (in.readInt() != MAGIC) {
        throw new IOException("not a Sluice checkpoint metadata file (bad magic)");
      }
      if ((int) crc.getValue() != stored) {
        throw new IOException("checksum mismatch");
      }
      int version = in.readInt();
      CheckpointMetadata meta =
          switch (version) {
            case 1 -> readVersion1(in);
            case VERSION -> readVersion2(in);
            default -> throw new IOException("unsupported metadata version " + version);
          };
      if (in.available() != 0) {
        throw new IOException(in.available() + " unexpected trailing bytes");
      }
      return meta;
    } catch (EOFException e) {
      throw new CheckpointCorruptedException(
          "checkpoint metadata file " + origin + " is corrupt: truncated", e);
    } catch (IOException | RuntimeException e) {
      throw new CheckpointCorruptedException(
          "checkpoint metadata file " + origin + " is corrupt: " + e.getMessage(), e);
    }
  }

  private static CheckpointMetadata readVersion2(DataInputStream in) throws IOException {
    long id = in.readLong();
    long ts = in.readLong();
    String pipelineId = in.readUTF();
    String lineage = in.readUTF();
    Kind kind = Kind.values()[in.readUnsignedByte()];
    int maxParallelism = in.readInt();
    if (maxParallelism < 1 || maxParallelism > KeyGroups.UPPER_BOUND_MAX_PARALLELISM) {
      throw new IOException("invalid maxParallelism " + maxParallelism);
    }
    int count = count(in.readInt());
    Map<String, OperatorState> operators = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String opId = in.readUTF();
      StreamNode.Kind nodeKind = StreamNode.Kind.values()[in.readUnsignedByte()];
      byte[] coordinator = readOptionalBytes(in);
      int subtasks = count(in.readInt());
      List<OperatorSubtaskState> states = new ArrayList<>(subtasks);
      for (int s = 0; s < subtasks; s++) {
        byte[] operatorState = readOptionalBytes(in);
        int handles = count(in.readInt());
        List<KeyedStateHandle> keyed = new ArrayList<>(handles);
        for (int h = 0; h < handles; h++) {
          KeyedStateHandleCodec codec = KeyedStateHandleCodecs.forKind(in.readUTF());
          keyed.add(codec.read(in));
        }
        states.add(new OperatorSubtaskState(operatorState, keyed));
      }
      operators.put(opId, new OperatorState(opId, nodeKind, coordinator, states));
    }
    return new CheckpointMetadata(
        pipelineId, lineage, id, ts, kind, maxParallelism, operators, VERSION);
  }

  /** Version 1: sources and sinks by name; committables per writer subtask, no keyed state. */
  private static CheckpointMetadata readVersion1(DataInputStream in) throws IOException {
    long id = in.readLong();
    long ts = in.readLong();
    String pipelineId = in.readUTF();
    Map<String, OperatorState> operators = new LinkedHashMap<>();
    int sources = count(in.readInt());
    for (int i = 0; i < sources; i++) {
      String name = in.readUTF();
      int subtasks = count(in.readInt());
      List<OperatorSubtaskState> states = new ArrayList<>(subtasks);
      for (int s = 0; s < subtasks; s++) {
        states.add(new OperatorSubtaskState(readBytes(in), List.of()));
      }
      operators.put(name, new OperatorState(name, StreamNode.Kind.SOURCE, null, states));
    }
    int sinks = count(in.readInt());
    for (int i = 0; i < sinks; i++) {
      String name = in.readUTF();
      int subtasks = count(in.readInt());
      List<OperatorSubtaskState> states = new ArrayList<>(subtasks);
      for (int s = 0; s < subtasks; s++) {
        int n = count(in.readInt());
        List<byte[]> committables = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
          committables.add(readBytes(in));
        }
        states.add(new OperatorSubtaskState(SinkCommittables.encode(0, committables), List.of()));
      }
      operators.put(name, new OperatorState(name, StreamNode.Kind.SINK, null, states));
    }
    in.readLong(); // records written: a reporting figure, no longer kept in checkpoints
    return new CheckpointMetadata(
        pipelineId,
        legacyLineage(pipelineId),
        id,
        ts,
        Kind.CHECKPOINT,
        KeyGroups.DEFAULT_MAX_PARALLELISM,
        operators,
        1);
  }

  private static void writeOptionalBytes(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static byte[] readOptionalBytes(DataInputStream in) throws IOException {
    int len = in.readInt();
    if (len == -1) {
      return null;
    }
    return readBytes(in, len);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    return readBytes(in, in.readInt());
  }

  private static byte[] readBytes(DataInputStream in, int len) throws IOException {
    count(len);
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
