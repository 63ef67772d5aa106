package io.sluice.engine.internal.state;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes keyed state in the canonical key-groups format, key group by key group in ascending
 * order:
 *
 * <pre>
 * header:    int magic "SLKG", int version 1, int stateCount, per state {UTF name, byte kind, boolean ttl}
 * per key group of the range: entries {byte 1, short state, int keyLength, key, int payloadLength, payload}, byte 0
 * </pre>
 *
 * The payload layout depends on the state's kind ({@link StatePayloads}). The file is fsynced
 * before {@link #finish} returns its handle.
 */
public final class KeyGroupsWriter implements Closeable {
  static final int MAGIC = 0x534C4B47; // "SLKG"
  static final int VERSION = 1;

  private final FileChannel channel;
  private final CountingStream counting;
  private final DataOutputStream out;
  private final String relativePath;
  private final KeyGroupRange range;
  private final long[] offsets;
  private int nextKeyGroup;
  private boolean inKeyGroup;
  private boolean finished;

  public KeyGroupsWriter(Path file, String relativePath, List<StateMeta> states, KeyGroupRange range)
      throws IOException {
    this.channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
    this.counting = new CountingStream(Channels.newOutputStream(channel));
    this.out = new DataOutputStream(new BufferedOutputStream(counting, 1 << 16));
    this.relativePath = relativePath;
    this.range = range;
    this.offsets = new long[range.size()];
    this.nextKeyGroup = range.start();
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeInt(states.size());
    for (StateMeta state : states) {
      out.writeUTF(state.name());
      out.writeByte(state.kind().code());
      out.writeBoolean(state.ttl());
    }
  }

  /** Starts key group {@code keyGroup}; skipped key groups of the range are written empty. */
  public void startKeyGroup(int keyGroup) throws IOException {
    if (!range.contains(keyGroup) || keyGroup < nextKeyGroup) {
      throw new IllegalStateException(
          "key group " + keyGroup + " out of order or outside " + range);
    }
    endKeyGroup();
    while (nextKeyGroup < keyGroup) {
      offsets[nextKeyGroup - range.start()] = position();
      out.writeByte(0);
      nextKeyGroup++;
    }
    offsets[keyGroup - range.start()] = position();
    nextKeyGroup = keyGroup + 1;
    inKeyGroup = true;
  }

  public void entry(int stateIndex, byte[] key, int keyLength, byte[] payload, int payloadLength)
      throws IOException {
    if (!inKeyGroup) {
      throw new IllegalStateException("entry outside a key group");
    }
    out.writeByte(1);
    out.writeShort(stateIndex);
    out.writeInt(keyLength);
    out.write(key, 0, keyLength);
    out.writeInt(payloadLength);
    out.write(payload, 0, payloadLength);
  }

  /** Writes the remaining key groups empty, syncs and closes the file. */
  public KeyGroupsStateHandle finish() throws IOException {
    endKeyGroup();
    while (nextKeyGroup <= range.end()) {
      offsets[nextKeyGroup - range.start()] = position();
      out.writeByte(0);
      nextKeyGroup++;
    }
    out.flush();
    channel.force(true);
    long size = counting.count;
    finished = true;
    out.close();
    return new KeyGroupsStateHandle(relativePath, size, range, offsets);
  }

  @Override
  public void close() throws IOException {
    if (!finished) {
      channel.close();
    }
  }

  private void endKeyGroup() throws IOException {
    if (inKeyGroup) {
      out.writeByte(0);
      inKeyGroup = false;
    }
  }

  private long position() throws IOException {
    out.flush();
    return counting.count;
  }

  private static final class CountingStream extends OutputStream {
    private final OutputStream target;
    long count;

    CountingStream(OutputStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
      target.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      target.write(b, off, len);
      count += len;
    }

    @Override
    public void flush() throws IOException {
      target.flush();
    }

    @Override
    public void close() throws IOException {
      target.close();
    }
  }
}
