package io.sluice.engine.internal.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.internal.graph.StreamNode;
import io.sluice.engine.internal.operators.SinkCommittables;
import io.sluice.engine.internal.state.KeyGroupRange;
import io.sluice.engine.internal.state.KeyGroupsStateHandle;
import io.sluice.engine.internal.state.KeyedStateHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStorageTest {
  @TempDir Path dir;

  private static CheckpointMetadata meta(long id, KeyedStateHandle... keyed) {
    Map<String, OperatorState> ops = new LinkedHashMap<>();
    ops.put("src", new OperatorState("src", StreamNode.Kind.SOURCE, null, List.of(
        new OperatorSubtaskState(new byte[] {1, 2}, List.of()),
        new OperatorSubtaskState(new byte[0], List.of()))));
    ops.put("dedupe", new OperatorState("dedupe", StreamNode.Kind.KEYED, null, List.of(
        new OperatorSubtaskState(null, List.of(keyed)))));
    ops.put("out", new OperatorState("out", StreamNode.Kind.SINK,
        PendingCommits.encode(List.of(new PendingCommits.Commit(id - 1, 3, List.of(new byte[] {5})))),
        List.of(new OperatorSubtaskState(SinkCommittables.encode(7, List.of(new byte[] {9})), List.of()))));
    return new CheckpointMetadata("pipe", "lineage-1", id, 1234L, CheckpointMetadata.Kind.CHECKPOINT, 128, ops);
  }

  @Test
  void aFreshStartLineageIsCreatedOncePerDirectory() throws Exception {
    String lineage = new CheckpointStorage(dir).freshStartLineage();
    assertEquals(lineage, new CheckpointStorage(dir).freshStartLineage(), "kept across restarts");
    assertFalse(lineage.equals(new CheckpointStorage(dir.resolve("other")).freshStartLineage()));
    Files.writeString(dir.resolve("lineage"), "not a lineage");
    CheckpointCorruptedException e =
        assertThrows(CheckpointCorruptedException.class, () -> new CheckpointStorage(dir).freshStartLineage());
    assertTrue(e.getMessage().contains(dir.resolve("lineage").toString()), e.getMessage());
  }

  @Test
  void roundTrip() throws Exception {
    CheckpointStorage storage = new CheckpointStorage(dir);
    assertTrue(storage.loadLatest().isEmpty());
    KeyGroupsStateHandle handle =
        new KeyGroupsStateHandle("chk-4/x", 99, new KeyGroupRange(3, 5), new long[] {10, 20, 30});
    storage.write(meta(4, handle));
    CheckpointMetadata back = storage.loadLatest().orElseThrow();
    assertEquals(4, back.checkpointId());
    assertEquals("pipe", back.pipelineId());
    assertEquals("lineage-1", back.lineage());
    assertEquals(128, back.maxParallelism());
    assertEquals(2, back.formatVersion());
    assertEquals(List.of("src", "dedupe", "out"), List.copyOf(back.operators().keySet()));
    assertArrayEquals(new byte[] {1, 2}, back.operators().get("src").subtasks().get(0).operatorState());
    assertEquals(List.of(handle), back.operators().get("dedupe").subtasks().get(0).keyedState());
    OperatorState sink = back.operators().get("out");
    assertEquals(3, PendingCommits.decode(sink.coordinatorState()).get(0).records());
    SinkCommittables own = SinkCommittables.decode(sink.subtasks().get(0).operatorState());
    assertEquals(7, own.records());
    assertArrayEquals(new byte[] {9}, own.committables().get(0));
    assertFalse(Files.exists(dir.resolve("chk-4").resolve("_metadata.inprogress")));
  }

  @Test
  void incompleteCheckpointsAreIgnoredAndRetentionKeepsTheNewest() throws Exception {
    CheckpointStorage storage = new CheckpointStorage(dir);
    for (long id = 1; id <= 5; id++) {
      storage.write(meta(id));
      storage.retain(2);
    }
    Files.createDirectories(dir.resolve("chk-6")); // never completed
    Files.write(dir.resolve("chk-6").resolve("_metadata.inprogress"), new byte[] {1});
    assertEquals(List.of(4L, 5L), storage.completedCheckpointIds());
    assertEquals(5, storage.loadLatest().orElseThrow().checkpointId());
    storage.deleteAfter(5);
    assertFalse(Files.exists(dir.resolve("chk-6")));
  }

  /** A shared file lives as long as a retained checkpoint refers to it. */
  @Test
  void sharedFilesAreDeletedWhenNoRetainedCheckpointRefersToThem() throws Exception {
    CheckpointStorage storage = new CheckpointStorage(dir);
    Path shared = Files.createDirectories(dir.resolve("shared"));
    for (String f : List.of("a", "b", "c", "orphan")) {
      Files.write(shared.resolve(f), new byte[] {1});
    }
    storage.write(meta(1, new SharedHandle("shared/a", "shared/b")));
    storage.write(meta(2, new SharedHandle("shared/b", "shared/c")));
    storage.retain(2);
    assertTrue(Files.exists(shared.resolve("a")));
    assertFalse(Files.exists(shared.resolve("orphan")));
    storage.write(meta(3, new SharedHandle("shared/c")));
    storage.retain(2);
    assertFalse(Files.exists(shared.resolve("a")), "only checkpoint 1 referred to a");
    assertTrue(Files.exists(shared.resolve("b")), "checkpoint 2 still refers to b");
    storage.retain(1);
    assertFalse(Files.exists(shared.resolve("b")));
    assertTrue(Files.exists(shared.resolve("c")));
  }

  @Test
  void corruptMetadataFailsNamingTheFile() throws Exception {
    CheckpointStorage storage = new CheckpointStorage(dir);
    storage.write(meta(3));
    Path file = dir.resolve("chk-3").resolve("_metadata");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(file, bytes);
    CheckpointCorruptedException e =
        assertThrows(CheckpointCorruptedException.class, storage::loadLatest);
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());

    Files.write(file, new byte[] {1, 2, 3});
    e = assertThrows(CheckpointCorruptedException.class, storage::loadLatest);
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  /** A handle referring to shared files, stored through the test codec (see META-INF/services). */
  record SharedHandle(List<String> sharedFiles) implements KeyedStateHandle {
    SharedHandle(String... files) {
      this(List.of(files));
    }

    @Override
    public String kind() {
      return SharedHandleCodec.KIND;
    }

    @Override
    public KeyGroupRange keyGroupRange() {
      return new KeyGroupRange(0, 127);
    }

    @Override
    public List<String> exclusiveFiles() {
      return List.of();
    }

    @Override
    public long stateSize() {
      return 0;
    }

    @Override
    public long checkpointedSize() {
      return 0;
    }
  }
}
