package io.sluice.engine.internal.state;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Reads the key groups of a {@link KeyGroupsStateHandle} file (see {@link KeyGroupsWriter}). */
final class KeyGroupsReader {
  private KeyGroupsReader() {}

  static void read(
      KeyGroupsStateHandle handle, Path root, KeyGroupRange wanted, CanonicalEntryVisitor visitor)
      throws IOException {
    KeyGroupRange range = handle.range().intersect(wanted);
    if (range.isEmpty()) {
      return;
    }
    Path file = root.resolve(handle.path());
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() != handle.size()) {
        throw new IOException(
            "keyed state file " + file + " has " + channel.size() + " bytes, the checkpoint"
                + " recorded " + handle.size());
      }
      List<StateMeta> states = readHeader(stream(channel, 0), file);
      int first = range.start() - handle.range().start();
      DataInputStream in = stream(channel, handle.offsets()[first]);
      for (int keyGroup = range.start(); keyGroup <= range.end(); keyGroup++) {
        readKeyGroup(in, keyGroup, states, visitor, file);
      }
    } catch (NoSuchFileException e) {
      throw new IOException("keyed state file " + file + " is missing", e);
    } catch (EOFException e) {
      throw new IOException("keyed state file " + file + " is truncated", e);
    }
  }

  static List<StateMeta> states(KeyGroupsStateHandle handle, Path root) throws IOException {
    Path file = root.resolve(handle.path());
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return readHeader(stream(channel, 0), file);
    } catch (NoSuchFileException e) {
      throw new IOException("keyed state file " + file + " is missing", e);
    }
  }

  private static DataInputStream stream(FileChannel channel, long position) throws IOException {
    channel.position(position);
    InputStream in = Channels.newInputStream(channel);
    return new DataInputStream(new BufferedInputStream(in, 1 << 16));
  }

  private static List<StateMeta> readHeader(DataInputStream in, Path file) throws IOException {
    if (in.readInt() != KeyGroupsWriter.MAGIC) {
      throw new IOException(file + " is not a keyed state file (bad magic)");
    }
    int version = in.readInt();
    if (version != KeyGroupsWriter.VERSION) {
      throw new IOException(file + " has unsupported keyed state format version " + version);
    }
    int count = in.readInt();
    List<StateMeta> states = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      StateKind kind = StateKind.ofCode(in.readByte());
      states.add(new StateMeta(name, kind, in.readBoolean()));
    }
    return states;
  }

  private static void readKeyGroup(
      DataInputStream in,
      int keyGroup,
      List<StateMeta> states,
      CanonicalEntryVisitor visitor,
      Path file)
      throws IOException {
    while (true) {
      byte marker = in.readByte();
      if (marker == 0) {
        return;
      }
      if (marker != 1) {
        throw new IOException(file + " is corrupt in key group " + keyGroup);
      }
      int state = in.readShort();
      if (state < 0 || state >= states.size()) {
        throw new IOException(file + " refers to unknown state #" + state);
      }
      byte[] key = new byte[in.readInt()];
      in.readFully(key);
      byte[] payload = new byte[in.readInt()];
      in.readFully(payload);
      visitor.entry(keyGroup, states.get(state), key, payload);
    }
  }
}
