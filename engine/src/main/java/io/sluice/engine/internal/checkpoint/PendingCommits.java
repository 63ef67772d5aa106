package io.sluice.engine.internal.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Commits of a sink whose checkpoint is durable but whose commit was not yet confirmed when a
 * later checkpoint completed. They travel in that later checkpoint (as the sink's coordinator
 * state) so that a restore re-commits them in order before its own: a slow commit never loses a
 * checkpoint, even after retention deleted it.
 *
 * <p>Format: {@code byte version 1, int count, count x {long checkpointId, long records, int n, n x
 * {int length, bytes}}}.
 */
public final class PendingCommits {
  private static final int VERSION = 1;

  /** One checkpoint's committables of one sink, from all writer subtasks. */
  public record Commit(long checkpointId, long records, List<byte[]> committables) {}

  private PendingCommits() {}

  public static byte[] encode(List<Commit> commits) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(VERSION);
      out.writeInt(commits.size());
      for (Commit c : commits) {
        out.writeLong(c.checkpointId());
        out.writeLong(c.records());
        out.writeInt(c.committables().size());
        for (byte[] b : c.committables()) {
          out.writeInt(b.length);
          out.write(b);
        }
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<Commit> decode(byte[] state) throws IOException {
    if (state == null) {
      return List.of();
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
    int version = in.readUnsignedByte();
    if (version != VERSION) {
      throw new IOException("unknown pending commits format " + version);
    }
    int count = in.readInt();
    List<Commit> commits = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long id = in.readLong();
      long records = in.readLong();
      int n = in.readInt();
      List<byte[]> committables = new ArrayList<>(n);
      for (int j = 0; j < n; j++) {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        committables.add(b);
      }
      commits.add(new Commit(id, records, committables));
    }
    return commits;
  }
}
