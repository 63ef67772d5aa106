package io.sluice.engine.internal.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStorageTest {
  @TempDir Path dir;

  private static CheckpointMetadata meta(long id) {
    Map<String, List<byte[]>> states = new LinkedHashMap<>();
    states.put("src", List.of(new byte[] {1, 2}, new byte[0], new byte[] {3}));
    Map<String, List<List<byte[]>>> sinks = new LinkedHashMap<>();
    sinks.put("out", List.of(List.of(new byte[] {9}), List.of(), List.of(new byte[] {7}, new byte[] {8})));
    return new CheckpointMetadata("pipe", id, 1234L, states, sinks, 42L);
  }

  @Test
  void roundTrip() throws Exception {
    CheckpointStorage storage = new CheckpointStorage(dir);
    assertTrue(storage.loadLatest().isEmpty());
    storage.write(meta(4));
    CheckpointMetadata back = storage.loadLatest().orElseThrow();
    assertEquals(4, back.checkpointId());
    assertEquals("pipe", back.pipelineId());
    assertEquals(42L, back.recordsWritten());
    assertEquals(3, back.sourceStates().get("src").size());
    assertArrayEquals(new byte[] {1, 2}, back.sourceStates().get("src").get(0));
    List<byte[]> all = back.committablesOf("out");
    assertEquals(3, all.size());
    assertArrayEquals(new byte[] {9}, all.get(0));
    assertArrayEquals(new byte[] {8}, all.get(2));
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
}
