package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.internal.state.KeyedStateBackend;
import io.sluice.engine.internal.state.KeyedStateHandle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Restores of RocksDB checkpoints at another parallelism move whole key groups, exactly. */
class RocksDbRescaleTest extends StateFixtureTest {
  static final List<String> KEYS = SampleState.keys(500);

  @Test
  void twoSubtasksIntoOne() throws Exception {
    KeyedStateBackend<String> first = fixture.rocksDb(0, 2);
    KeyedStateBackend<String> second = fixture.rocksDb(1, 2);
    SampleState.writeAll(KEYS, first, second);
    fixture.checkpoint(1, first, second);

    KeyedStateBackend<String> merged = fixture.rocksDb(0, 1);
    fixture.restore(merged, fixture.load(1));
    SampleState.assertAllHold(KEYS, merged);
    assertEquals(expectedEntries(KEYS), sortedEntries(fixture.checkpoint(2, merged).get(0)));
  }

  @Test
  void oneSubtaskIntoTwo() throws Exception {
    KeyedStateBackend<String> single = fixture.rocksDb(0, 1);
    SampleState.writeAll(KEYS, single);
    fixture.checkpoint(1, single);

    KeyedStateBackend<String> first = fixture.rocksDb(0, 2);
    KeyedStateBackend<String> second = fixture.rocksDb(1, 2);
    fixture.restore(first, fixture.load(1));
    fixture.restore(second, fixture.load(1));
    List<String> ownedByFirst = new ArrayList<>();
    List<String> ownedBySecond = new ArrayList<>();
    for (String key : KEYS) {
      KeyedStateBackend<String> owner = StateFixture.owner(key, first, second);
      SampleState.assertHolds(owner, key);
      (owner == first ? ownedByFirst : ownedBySecond).add(key);
    }
    assertTrue(!ownedByFirst.isEmpty() && !ownedBySecond.isEmpty());
    var handles = fixture.checkpoint(2, first, second);
    assertEquals(expectedEntries(ownedByFirst), sortedEntries(handles.get(0)));
    assertEquals(expectedEntries(ownedBySecond), sortedEntries(handles.get(1)));
  }

  /** Every state's entry of each of {@code keys}, sorted. */
  private static List<String> expectedEntries(List<String> keys) {
    List<String> entries = new ArrayList<>();
    for (String state : SampleState.STATES) {
      for (String key : keys) {
        entries.add(state + "/" + key);
      }
    }
    entries.sort(null);
    return entries;
  }

  private List<String> sortedEntries(KeyedStateHandle handle) throws Exception {
    List<String> entries = new ArrayList<>(fixture.entries(handle));
    entries.sort(null);
    return entries;
  }
}
