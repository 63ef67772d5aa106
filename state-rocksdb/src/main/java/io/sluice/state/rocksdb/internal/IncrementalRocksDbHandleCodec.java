package io.sluice.state.rocksdb.internal;

import io.sluice.engine.internal.state.CanonicalEntryVisitor;
import io.sluice.engine.internal.state.KeyGroupRange;
import io.sluice.engine.internal.state.KeyGroups;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.internal.state.KeyedStateHandleCodec;
import io.sluice.engine.internal.state.StateKind;
import io.sluice.engine.internal.state.StateMeta;
import io.sluice.state.rocksdb.internal.IncrementalRocksDbHandle.SnapshotState;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores {@link IncrementalRocksDbHandle}s in checkpoint metadata, and reads them as canonical
 * entries (savepoints, restores into the heap backend) by opening the checkpoint's database
 * read-only in a temporary directory under {@code java.io.tmpdir}.
 *
 * <pre>
 * int version 1, int rangeStart, int rangeEnd, long snapshotTime,
 * int states, per state {UTF name, byte kind, boolean ttl, long ttlMillis},
 * int sstFiles, per file {UTF name, UTF path}, int privateFiles, per file {UTF name, UTF path}
 * </pre>
 */
public final class IncrementalRocksDbHandleCodec implements KeyedStateHandleCodec {
  private static final int VERSION = 1;

  @Override
  public String kind() {
    return IncrementalRocksDbHandle.KIND;
  }

  @Override
  public void write(KeyedStateHandle handle, DataOutput out) throws IOException {
    IncrementalRocksDbHandle h = (IncrementalRocksDbHandle) handle;
    out.writeInt(VERSION);
    out.writeInt(h.keyGroupRange().start());
    out.writeInt(h.keyGroupRange().end());
    out.writeLong(h.snapshotTime());
    out.writeInt(h.states().size());
    for (SnapshotState state : h.states()) {
      out.writeUTF(state.meta().name());
      out.writeByte(state.meta().kind().code());
      out.writeBoolean(state.meta().ttl());
      out.writeLong(state.ttlMillis());
    }
    writeFiles(h.sharedSsts(), out);
    writeFiles(h.privateFiles(), out);
    out.writeLong(h.stateSize());
    out.writeLong(h.checkpointedSize());
  }

  @Override
  public KeyedStateHandle read(DataInput in) throws IOException {
    int version = in.readInt();
    if (version != VERSION) {
      throw new IOException("unsupported RocksDB checkpoint handle version " + version);
    }
    KeyGroupRange range = new KeyGroupRange(in.readInt(), in.readInt());
    if (range.size() > KeyGroups.UPPER_BOUND_MAX_PARALLELISM) {
      throw new IOException("key group range " + range + " is larger than any job can have");
    }
    long snapshotTime = in.readLong();
    int count = in.readInt();
    List<SnapshotState> states = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StateMeta meta =
          new StateMeta(in.readUTF(), StateKind.ofCode(in.readByte()), in.readBoolean());
      states.add(new SnapshotState(meta, in.readLong()));
    }
    Map<String, String> sharedSsts = readFiles(in);
    Map<String, String> privateFiles = readFiles(in);
    return new IncrementalRocksDbHandle(
        range, snapshotTime, states, sharedSsts, privateFiles, in.readLong(), in.readLong());
  }

  @Override
  public List<StateMeta> states(KeyedStateHandle handle, Path root) {
    return ((IncrementalRocksDbHandle) handle).stateMetas();
  }

  @Override
  public void readEntries(
      KeyedStateHandle handle, Path root, KeyGroupRange range, CanonicalEntryVisitor visitor)
      throws IOException {
    IncrementalRocksDbHandle h = (IncrementalRocksDbHandle) handle;
    KeyGroupRange wanted = h.keyGroupRange().intersect(range);
    if (wanted.isEmpty()) {
      return;
    }
    try (CheckpointedDb db =
        CheckpointedDb.open(h, root, Files.createTempDirectory("sluice-rocksdb-export-"))) {
      CanonicalExport.export(db, wanted, h.snapshotTime(), visitor);
    }
  }

  private static void writeFiles(Map<String, String> files, DataOutput out) throws IOException {
    out.writeInt(files.size());
    for (Map.Entry<String, String> file : files.entrySet()) {
      out.writeUTF(file.getKey());
      out.writeUTF(file.getValue());
    }
  }

  private static Map<String, String> readFiles(DataInput in) throws IOException {
    int count = in.readInt();
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      files.put(in.readUTF(), in.readUTF());
    }
    return files;
  }
}
