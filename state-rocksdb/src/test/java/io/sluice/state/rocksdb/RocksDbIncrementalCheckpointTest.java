package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.internal.checkpoint.CheckpointStorage;
import io.sluice.engine.internal.state.KeyedStateBackend;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.state.Serializers;
import io.sluice.engine.state.ValueState;
import io.sluice.engine.state.ValueStateDescriptor;
import io.sluice.state.rocksdb.internal.IncrementalRocksDbHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RocksDbIncrementalCheckpointTest extends StateFixtureTest {
  static final ValueStateDescriptor<Long> COUNTS =
      new ValueStateDescriptor<>("counts", Serializers.longs());

  KeyedStateBackend<String> backend;

  @BeforeEach
  void setUp() throws Exception {
    backend = fixture.rocksDb(0, 1);
  }

  /** Writes {@code value} for keys {@code from..to-1}. */
  private void write(KeyedStateBackend<String> target, int from, int to, long value)
      throws Exception {
    ValueState<Long> state = target.state(COUNTS);
    for (int i = from; i < to; i++) {
      target.setCurrentKey("key" + i);
      state.update(value);
    }
  }

  private IncrementalRocksDbHandle checkpoint(long id, KeyedStateBackend<String> subtask)
      throws Exception {
    fixture.checkpoint(id, subtask);
    return (IncrementalRocksDbHandle) fixture.load(id).get(0);
  }

  private Set<String> sharedDirectory() throws Exception {
    try (Stream<Path> files = Files.list(fixture.storage.directory().resolve("shared"))) {
      return files.map(f -> CheckpointStorage.SHARED + "/" + f.getFileName())
          .collect(Collectors.toSet());
    }
  }

  @Test
  void theSecondCheckpointUploadsOnlyNewFilesAndRefersToTheFirsts() throws Exception {
    write(backend, 0, 1_000, 1);
    IncrementalRocksDbHandle first = checkpoint(1, backend);
    write(backend, 1_000, 2_000, 2);
    IncrementalRocksDbHandle second = checkpoint(2, backend);

    assertFalse(first.sharedSsts().isEmpty());
    first.sharedSsts().forEach((sst, path) ->
        assertEquals(path, second.sharedSsts().get(sst), sst + " is referred to, not uploaded"));
    Set<String> uploadedBySecond = new HashSet<>(second.sharedFiles());
    uploadedBySecond.removeAll(first.sharedFiles());
    assertFalse(uploadedBySecond.isEmpty(), "the new writes are in a new SST file");
    Set<String> all = new HashSet<>(first.sharedFiles());
    all.addAll(second.sharedFiles());
    assertEquals(all, sharedDirectory(), "each SST file is uploaded once");
    for (String file : second.exclusiveFiles()) {
      assertTrue(file.startsWith(CheckpointStorage.PREFIX + "2/"), file);
    }
    assertTrue(second.privateFiles().keySet().stream().anyMatch(f -> f.startsWith("MANIFEST")));
  }

  /**
   * Overwrites the same keys checkpoint after checkpoint: each checkpoint flushes another level-0
   * file, and RocksDB compacts them in the background, so that a later checkpoint no longer holds
   * the first one's files. Keeping only that checkpoint then deletes those files, and only those.
   */
  @Test
  void retainingOneCheckpointKeepsItsFilesAndDeletesTheDroppedOnes() throws Exception {
    write(backend, 0, 1_000, 1);
    IncrementalRocksDbHandle first = checkpoint(1, backend);
    IncrementalRocksDbHandle latest = first;
    long id = 1;
    while (latest.sharedSsts().keySet().containsAll(first.sharedSsts().keySet())) {
      assertTrue(id < 100, "RocksDB never compacted the first checkpoint's SST files");
      write(backend, 0, 1_000, ++id);
      latest = checkpoint(id, backend);
    }
    fixture.storage.retain(1);

    assertEquals(List.of(id), fixture.storage.completedCheckpointIds());
    assertEquals(new HashSet<>(latest.sharedFiles()), sharedDirectory(),
        "the retained checkpoint's files are kept, also those uploaded before it; no others");
    for (String file : latest.exclusiveFiles()) {
      assertTrue(Files.isRegularFile(fixture.storage.directory().resolve(file)), file);
    }
    KeyedStateBackend<String> restored = fixture.rocksDb(0, 1);
    fixture.restore(restored, fixture.load(id));
    ValueState<Long> state = restored.state(COUNTS);
    for (int i = 0; i < 1_000; i++) {
      restored.setCurrentKey("key" + i);
      assertEquals(id, state.value());
    }
  }

  /** Checkpoint 1 of keys 0..999, and a backend restored from it. */
  private KeyedStateBackend<String> restoredFromFirstCheckpoint() throws Exception {
    write(backend, 0, 1_000, 1);
    checkpoint(1, backend);
    KeyedStateBackend<String> restored = fixture.rocksDb(0, 1);
    fixture.restore(restored, fixture.load(1));
    return restored;
  }

  @Test
  void aRestoredBackendRefersToTheFilesItWasRestoredFrom() throws Exception {
    KeyedStateBackend<String> restored = restoredFromFirstCheckpoint();
    IncrementalRocksDbHandle first = (IncrementalRocksDbHandle) fixture.load(1).get(0);
    write(restored, 1_000, 1_100, 2);
    IncrementalRocksDbHandle next = checkpoint(2, restored);
    first.sharedSsts().forEach((sst, path) -> assertEquals(path, next.sharedSsts().get(sst), sst));
    assertEquals(first.sharedSsts().size() + 1, next.sharedSsts().size());
  }

  @Test
  void aCheckpointInAnotherStorageUploadsEveryFile() throws Exception {
    KeyedStateBackend<String> restored = restoredFromFirstCheckpoint();
    IncrementalRocksDbHandle first = (IncrementalRocksDbHandle) fixture.load(1).get(0);
    try (StateFixture elsewhere = new StateFixture(dir.resolve("elsewhere"))) {
      KeyedStateHandle copy = elsewhere.checkpoint(1, restored).get(0);
      for (String file : copy.sharedFiles()) {
        assertTrue(Files.isRegularFile(elsewhere.storage.directory().resolve(file)), file);
      }
      assertEquals(first.sharedSsts().keySet(),
          ((IncrementalRocksDbHandle) copy).sharedSsts().keySet());
    }
  }
}
