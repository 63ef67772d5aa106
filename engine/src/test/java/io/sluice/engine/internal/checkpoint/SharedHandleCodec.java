package io.sluice.engine.internal.checkpoint;

import io.sluice.engine.internal.state.CanonicalEntryVisitor;
import io.sluice.engine.internal.state.KeyGroupRange;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.internal.state.KeyedStateHandleCodec;
import io.sluice.engine.internal.state.StateMeta;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Stores {@link CheckpointStorageTest.SharedHandle}s, as a backend module's codec would. */
public final class SharedHandleCodec implements KeyedStateHandleCodec {
  static final String KIND = "test-shared";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public void write(KeyedStateHandle handle, DataOutput out) throws IOException {
    out.writeInt(handle.sharedFiles().size());
    for (String f : handle.sharedFiles()) {
      out.writeUTF(f);
    }
  }

  @Override
  public KeyedStateHandle read(DataInput in) throws IOException {
    int n = in.readInt();
    List<String> files = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      files.add(in.readUTF());
    }
    return new CheckpointStorageTest.SharedHandle(files);
  }

  @Override
  public List<StateMeta> states(KeyedStateHandle handle, Path root) {
    return List.of();
  }

  @Override
  public void readEntries(
      KeyedStateHandle handle, Path root, KeyGroupRange range, CanonicalEntryVisitor visitor) {}
}
