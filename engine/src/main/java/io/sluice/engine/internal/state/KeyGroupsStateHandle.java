package io.sluice.engine.internal.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Keyed state in the canonical key-groups file format ({@link KeyGroupsWriter}): the heap
 * backend's checkpoints, every backend's savepoints, and timers. {@code offsets[i]} is where key
 * group {@code range.start + i} begins, so a restore at another parallelism reads only its key
 * groups.
 *
 * @param path the file, relative to the storage root
 * @param size the file's length, checked before reading
 */
public record KeyGroupsStateHandle(String path, long size, KeyGroupRange range, long[] offsets)
    implements KeyedStateHandle {
  public static final String KIND = "key-groups";

  public KeyGroupsStateHandle {
    if (offsets.length != range.size()) {
      throw new IllegalArgumentException(
          offsets.length + " offsets for the " + range.size() + " key groups of " + range);
    }
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public KeyGroupRange keyGroupRange() {
    return range;
  }

  @Override
  public List<String> exclusiveFiles() {
    return List.of(path);
  }

  @Override
  public List<String> sharedFiles() {
    return List.of();
  }

  @Override
  public long stateSize() {
    return size;
  }

  @Override
  public long checkpointedSize() {
    return size;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyGroupsStateHandle other
        && path.equals(other.path)
        && size == other.size
        && range.equals(other.range)
        && Arrays.equals(offsets, other.offsets);
  }

  @Override
  public int hashCode() {
    return path.hashCode() * 31 + Arrays.hashCode(offsets);
  }

  @Override
  public String toString() {
    return "KeyGroupsStateHandle(" + path + ", " + size + " bytes, key groups " + range + ")";
  }

  /** Stores the handle in checkpoint metadata; reads the file it points to. */
  static final class Codec implements KeyedStateHandleCodec {
    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public void write(KeyedStateHandle handle, DataOutput out) throws IOException {
      KeyGroupsStateHandle h = (KeyGroupsStateHandle) handle;
      out.writeUTF(h.path);
      out.writeLong(h.size);
      out.writeInt(h.range.start());
      out.writeInt(h.range.end());
      for (long offset : h.offsets) {
        out.writeLong(offset);
      }
    }

    @Override
    public KeyedStateHandle read(DataInput in) throws IOException {
      String path = in.readUTF();
      long size = in.readLong();
      KeyGroupRange range = new KeyGroupRange(in.readInt(), in.readInt());
      if (range.size() > KeyGroups.UPPER_BOUND_MAX_PARALLELISM) {
        throw new IOException("key group range " + range + " is larger than any job can have");
      }
      long[] offsets = new long[range.size()];
      for (int i = 0; i < offsets.length; i++) {
        offsets[i] = in.readLong();
      }
      return new KeyGroupsStateHandle(path, size, range, offsets);
    }

    @Override
    public List<StateMeta> states(KeyedStateHandle handle, Path root) throws IOException {
      return KeyGroupsReader.states((KeyGroupsStateHandle) handle, root);
    }

    @Override
    public void readEntries(
        KeyedStateHandle handle, Path root, KeyGroupRange range, CanonicalEntryVisitor visitor)
        throws IOException {
      KeyGroupsReader.read((KeyGroupsStateHandle) handle, root, range, visitor);
    }
  }
}
