package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.internal.state.KeyedStateBackend;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.internal.state.KeyedStateHandleCodecs;
import io.sluice.engine.state.ListState;
import io.sluice.engine.state.ListStateDescriptor;
import io.sluice.engine.state.MapState;
import io.sluice.engine.state.MapStateDescriptor;
import io.sluice.engine.state.Serializers;
import io.sluice.engine.state.StateTtl;
import io.sluice.engine.state.ValueState;
import io.sluice.engine.state.ValueStateDescriptor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RocksDbTtlTest extends StateFixtureTest {
  static final long TTL = 1_000;

  KeyedStateBackend<String> backend;

  @BeforeEach
  void setUp() throws Exception {
    backend = fixture.rocksDb(0, 1);
  }

  private ValueState<Long> valueState(StateTtl ttl) throws Exception {
    return backend.state(new ValueStateDescriptor<>("v", Serializers.longs()).withTtl(ttl));
  }

  private void advance(long millis) {
    fixture.clock.addAndGet(millis);
  }

  @Test
  void aValueExpiresTtlAfterItsLastWrite() throws Exception {
    ValueState<Long> state = valueState(StateTtl.of(Duration.ofMillis(TTL)));
    backend.setCurrentKey("k");
    state.update(1L);
    advance(TTL - 1);
    assertEquals(1L, state.value(), "reads do not refresh it");
    state.update(2L);
    advance(TTL - 1);
    assertEquals(2L, state.value(), "the write restarted its time-to-live");
    advance(1);
    assertNull(state.value());
    fixture.clock.set(0);
    assertNull(state.value(), "an expired value read is deleted, not only hidden");
  }

  @Test
  void readsRefreshWhenAsked() throws Exception {
    ValueState<Long> state = valueState(StateTtl.of(Duration.ofMillis(TTL)).refreshedOnRead());
    backend.setCurrentKey("k");
    state.update(1L);
    for (int i = 0; i < 5; i++) {
      advance(TTL - 1);
      assertEquals(1L, state.value());
    }
    advance(TTL);
    assertNull(state.value());
  }

  @Test
  void listElementsAndMapEntriesExpireOneByOne() throws Exception {
    StateTtl ttl = StateTtl.of(Duration.ofMillis(TTL));
    ListState<String> list =
        backend.state(new ListStateDescriptor<>("l", Serializers.string()).withTtl(ttl));
    MapState<String, Long> map =
        backend.state(
            new MapStateDescriptor<>("m", Serializers.string(), Serializers.longs()).withTtl(ttl));
    backend.setCurrentKey("k");
    list.add("old");
    map.put("old", 1L);
    advance(TTL / 2);
    list.add("new");
    map.put("new", 2L);
    advance(TTL / 2);
    assertEquals(List.of("new"), list.get());
    assertEquals(Map.of("new", 2L), map.entries());
    assertNull(map.get("old"));
    advance(TTL / 2);
    assertEquals(List.of(), list.get());
    assertTrue(map.isEmpty());
  }

  /**
   * Writes of other keys let the cleanup scan and delete expired values. Turning the clock back
   * afterwards shows which values were physically deleted: the others would be live again.
   */
  @Test
  void writesReclaimExpiredValues() throws Exception {
    ValueState<Long> state = valueState(StateTtl.of(Duration.ofMillis(TTL)));
    ListState<String> list =
        backend.state(
            new ListStateDescriptor<>("l", Serializers.string())
                .withTtl(StateTtl.of(Duration.ofMillis(TTL))));
    int expiring = 1_000;
    for (int i = 0; i < expiring; i++) {
      backend.setCurrentKey("old" + i);
      state.update((long) i);
      list.add("gone");
    }
    advance(TTL / 2);
    for (int i = 0; i < expiring; i++) {
      backend.setCurrentKey("old" + i);
      list.add("kept");
    }
    long expiredAt = fixture.clock.addAndGet(TTL / 2);
    // Each write earns the check of four entries: wherever the scan stands, these writes let it
    // check all of both states, this one's growing with them.
    for (int i = 0; i < 3 * expiring; i++) {
      backend.setCurrentKey("new" + i);
      state.update((long) i);
    }
    fixture.clock.set(expiredAt - TTL / 2);
    for (int i = 0; i < expiring; i++) {
      backend.setCurrentKey("old" + i);
      assertNull(state.value(), "old" + i + " was expired and should have been deleted");
      assertEquals(List.of("kept"), list.get(), "only the expired element is deleted");
    }
  }

  @Test
  void snapshotsLeaveExpiredValuesOut() throws Exception {
    ValueState<Long> state = valueState(StateTtl.of(Duration.ofMillis(TTL)));
    backend.setCurrentKey("expired");
    state.update(1L);
    long written = fixture.clock.get();
    advance(TTL / 2);
    backend.setCurrentKey("live");
    state.update(2L);
    advance(TTL / 2);
    KeyedStateHandle handle = fixture.checkpoint(1, backend).get(0);
    List<String> keys = new ArrayList<>();
    List<Long> timestamps = new ArrayList<>();
    KeyedStateHandleCodecs.forKind(handle.kind())
        .readEntries(handle, fixture.storage.directory(), backend.keyGroupRange(),
            (keyGroup, meta, key, payload) -> {
              keys.add(StateFixture.key(key));
              timestamps.add(ByteBuffer.wrap(payload).getLong());
            });
    assertEquals(List.of("live"), keys);
    assertEquals(List.of(written + TTL / 2), timestamps, "exports keep the write time");
  }

  @Test
  void aTtlAddedOnRestoreStartsAtTheRestoreAndOneDroppedKeepsValues() throws Exception {
    ValueState<Long> plain = backend.state(new ValueStateDescriptor<>("v", Serializers.longs()));
    ListState<String> timed =
        backend.state(
            new ListStateDescriptor<>("l", Serializers.string())
                .withTtl(StateTtl.of(Duration.ofMillis(TTL))));
    backend.setCurrentKey("k");
    plain.update(7L);
    timed.add("x");
    List<KeyedStateHandle> handles = fixture.checkpoint(1, backend);
    advance(TTL / 2);
    KeyedStateBackend<String> restored = fixture.rocksDb(0, 1);
    fixture.restore(restored, handles);
    ValueState<Long> nowTimed = restored.state(
        new ValueStateDescriptor<>("v", Serializers.longs())
            .withTtl(StateTtl.of(Duration.ofMillis(TTL))));
    ListState<String> nowPlain =
        restored.state(new ListStateDescriptor<>("l", Serializers.string()));
    restored.setCurrentKey("k");
    advance(TTL - 1);
    assertEquals(7L, nowTimed.value(), "stamped at the restore");
    assertEquals(List.of("x"), nowPlain.get());
    advance(1);
    assertNull(nowTimed.value());
    advance(10 * TTL);
    assertEquals(List.of("x"), nowPlain.get(), "without a time-to-live, it stays");
  }
}
