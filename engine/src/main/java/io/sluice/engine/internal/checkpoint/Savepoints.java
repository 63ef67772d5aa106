package io.sluice.engine.internal.checkpoint;

import io.sluice.engine.internal.state.KeyGroupsStateHandle;
import io.sluice.engine.internal.state.KeyGroupsWriter;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.internal.state.KeyedStateHandleCodec;
import io.sluice.engine.internal.state.KeyedStateHandleCodecs;
import io.sluice.engine.internal.state.StateMeta;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Savepoints: self-contained, backend-independent copies of a completed checkpoint in a directory
 * the user names. Keyed state is written in the canonical key-groups format whatever backend wrote
 * the checkpoint, so a savepoint restores into either backend at any parallelism, and the
 * directory can be moved: every path in it is relative to it.
 */
public final class Savepoints {
  private Savepoints() {}

  /**
   * Writes checkpoint {@code checkpoint} (whose state paths are relative to {@code root}) as a
   * savepoint into {@code target}, which must not exist or be empty.
   */
  public static CheckpointMetadata write(CheckpointMetadata checkpoint, Path root, Path target)
      throws IOException {
    requireUsableTarget(target);
    Files.createDirectories(target);
    Map<String, OperatorState> operators = new LinkedHashMap<>();
    for (OperatorState op : checkpoint.operators().values()) {
      List<OperatorSubtaskState> subtasks = new ArrayList<>();
      for (OperatorSubtaskState s : op.subtasks()) {
        List<KeyedStateHandle> keyed = new ArrayList<>();
        for (KeyedStateHandle handle : s.keyedState()) {
          keyed.add(canonicalCopy(handle, root, target));
        }
        subtasks.add(new OperatorSubtaskState(s.operatorState(), keyed));
      }
      operators.put(
          op.operatorId(),
          new OperatorState(op.operatorId(), op.kind(), op.coordinatorState(), subtasks));
    }
    CheckpointMetadata savepoint =
        checkpoint.withKind(CheckpointMetadata.Kind.SAVEPOINT, operators);
    CheckpointStorage.writeMetadata(target, savepoint);
    return savepoint;
  }

  /**
   * Checks that a savepoint can be written to {@code target}: it does not exist, or is an empty
   * directory (a savepoint never overwrites another).
   *
   * @throws IllegalArgumentException naming the directory and why not
   */
  public static void requireUsableTarget(Path target) {
    if (!Files.exists(target)) {
      return;
    }
    if (!Files.isDirectory(target)) {
      throw new IllegalArgumentException(
          "savepoint directory " + target + " is a file, not a directory");
    }
    try (Stream<Path> entries = Files.list(target)) {
      if (entries.findAny().isPresent()) {
        throw new IllegalArgumentException(
            "savepoint directory " + target + " is not empty: choose a new directory");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("savepoint directory " + target + ": " + e, e);
    }
  }

  /**
   * Reads the metadata of a savepoint directory, or of a retained checkpoint's {@code chk-N}
   * directory, and returns it with the directory its state paths are relative to.
   */
  public static Located load(Path directory) throws IOException {
    Path file = directory.resolve(CheckpointStorage.METADATA);
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          directory + " is not a savepoint or checkpoint directory (no " + file.getFileName()
              + ")");
    }
    CheckpointMetadata meta = CheckpointStorage.readMetadata(file);
    Path root =
        meta.kind() == CheckpointMetadata.Kind.SAVEPOINT
            ? directory
            : directory.toAbsolutePath().getParent();
    return new Located(meta, root);
  }

  /** Metadata and the directory its state paths are relative to. */
  public record Located(CheckpointMetadata metadata, Path root) {}

  private static KeyedStateHandle canonicalCopy(KeyedStateHandle handle, Path root, Path target)
      throws IOException {
    String name = "keyed-" + UUID.randomUUID();
    Path file = target.resolve(name);
    if (handle instanceof KeyGroupsStateHandle kg) {
      Files.copy(root.resolve(kg.path()), file, StandardCopyOption.COPY_ATTRIBUTES);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      return new KeyGroupsStateHandle(name, kg.size(), kg.range(), kg.offsets());
    }
    KeyedStateHandleCodec codec = KeyedStateHandleCodecs.forKind(handle.kind());
    List<StateMeta> states = codec.states(handle, root);
    try (KeyGroupsWriter writer = new KeyGroupsWriter(file, name, states, handle.keyGroupRange())) {
      int[] current = {Integer.MIN_VALUE};
      codec.readEntries(
          handle,
          root,
          handle.keyGroupRange(),
          (keyGroup, state, key, payload) -> {
            if (keyGroup != current[0]) {
              writer.startKeyGroup(keyGroup);
              current[0] = keyGroup;
            }
            int index = states.indexOf(state);
            if (index < 0) {
              throw new IOException("entry of undeclared state " + state + " in " + handle);
            }
            writer.entry(index, key, key.length, payload, payload.length);
          });
      return writer.finish();
    }
  }
}
