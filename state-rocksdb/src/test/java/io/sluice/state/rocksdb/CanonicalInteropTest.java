package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.internal.checkpoint.CheckpointMetadata;
import io.sluice.engine.internal.checkpoint.Savepoints;
import io.sluice.engine.internal.state.KeyGroupsStateHandle;
import io.sluice.engine.internal.state.KeyedStateBackend;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.internal.state.KeyedStateHandleCodecs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** State moves between the backends through the canonical form: savepoints and heap checkpoints. */
class CanonicalInteropTest extends StateFixtureTest {
  static final List<String> KEYS = SampleState.keys(300);

  @Test
  void aSavepointOfRocksDbStateRestoresIntoTheHeapBackend() throws Exception {
    KeyedStateBackend<String> rocksDb = fixture.rocksDb(0, 1);
    SampleState.writeAll(KEYS, rocksDb);
    fixture.checkpoint(1, rocksDb);
    Path savepointDir = dir.resolve("savepoint");
    CheckpointMetadata savepoint =
        Savepoints.write(fixture.storage.load(1), fixture.storage.directory(), savepointDir);
    assertInstanceOf(KeyGroupsStateHandle.class, savepoint.keyedStateHandles().get(0));

    KeyedStateBackend<String> first = fixture.heap(0, 2);
    KeyedStateBackend<String> second = fixture.heap(1, 2);
    StateFixture.restore(first, savepoint.keyedStateHandles(), savepointDir);
    StateFixture.restore(second, savepoint.keyedStateHandles(), savepointDir);
    SampleState.assertAllHold(KEYS, first, second);
    fixture.clock.addAndGet(SampleState.TTL.ttlMillis());
    KeyedStateBackend<String> owner = StateFixture.owner(KEYS.get(0), first, second);
    owner.setCurrentKey(KEYS.get(0));
    assertNull(owner.state(SampleState.value()).value(), "the write time came along");
  }

  @Test
  void aHeapCheckpointRestoresIntoRocksDb() throws Exception {
    KeyedStateBackend<String> heap = fixture.heap(0, 1);
    SampleState.writeAll(KEYS, heap);
    List<KeyedStateHandle> handles = fixture.checkpoint(1, heap);
    assertInstanceOf(KeyGroupsStateHandle.class, handles.get(0));

    KeyedStateBackend<String> first = fixture.rocksDb(0, 2);
    KeyedStateBackend<String> second = fixture.rocksDb(1, 2);
    fixture.restore(first, handles);
    fixture.restore(second, handles);
    SampleState.assertAllHold(KEYS, first, second);
  }

  @Test
  void exportsGoKeyGroupByKeyGroupWithinTheAskedRange() throws Exception {
    KeyedStateBackend<String> rocksDb = fixture.rocksDb(0, 1);
    SampleState.writeAll(KEYS, rocksDb);
    KeyedStateHandle handle = fixture.checkpoint(1, rocksDb).get(0);
    var half = new io.sluice.engine.internal.state.KeyGroupRange(4, 19);
    List<Integer> keyGroups = new ArrayList<>();
    KeyedStateHandleCodecs.forKind(handle.kind())
        .readEntries(handle, fixture.storage.directory(), half,
            (keyGroup, state, key, payload) -> {
              assertEquals(keyGroup, StateFixture.keyGroup(StateFixture.key(key)));
              keyGroups.add(keyGroup);
            });
    assertFalse(keyGroups.isEmpty());
    List<Integer> sorted = new ArrayList<>(keyGroups);
    sorted.sort(null);
    assertEquals(sorted, keyGroups);
    assertTrue(keyGroups.get(0) >= 4 && keyGroups.get(keyGroups.size() - 1) <= 19);
    long inHalf = KEYS.stream().filter(k -> half.contains(keyGroupOf(k))).count();
    assertEquals(inHalf * SampleState.STATES.size(), keyGroups.size());
  }

  private static int keyGroupOf(String key) {
    try {
      return StateFixture.keyGroup(key);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
