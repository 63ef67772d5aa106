package io.sluice.engine.internal.state.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sluice.engine.internal.checkpoint.CheckpointStorage;
import io.sluice.engine.internal.state.KeyGroupRange;
import io.sluice.engine.internal.state.KeyGroups;
import io.sluice.engine.internal.state.KeyedBackendParameters;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class HeapKeyedStateBackendTest {
  private static final KeyGroupRange ALL = new KeyGroupRange(0, KeyGroups.DEFAULT_MAX_PARALLELISM - 1);
  @TempDir Path dir;
  private final AtomicLong clock = new AtomicLong();

  private HeapKeyedStateBackend<Long> backend() {
    return new HeapKeyedStateBackend<>(
        new KeyedBackendParameters<>(
            "p", "op", 0, 1, KeyGroups.DEFAULT_MAX_PARALLELISM, ALL, Serializers.longs(),
            clock::get));
  }

  private final ValueStateDescriptor<Long> valueDescriptor =
      new ValueStateDescriptor<>("v", Serializers.longs());
  private final ListStateDescriptor<Long> listDescriptor =
      new ListStateDescriptor<>("l", Serializers.longs());
  private final MapStateDescriptor<Long, Long> mapDescriptor =
      new MapStateDescriptor<>("m", Serializers.longs(), Serializers.longs());

  /**
   * The task keeps writing, clearing and appending to every key while the snapshot is written on
   * another thread: the snapshot still holds exactly the state at the synchronous part.
   */
  @Test
  void aSnapshotSeesTheStateOfItsSynchronousPartWhileTheTaskGoesOn() throws Exception {
    HeapKeyedStateBackend<Long> backend = backend();
    ValueState<Long> value = backend.state(valueDescriptor);
    ListState<Long> list = backend.state(listDescriptor);
    MapState<Long, Long> map = backend.state(mapDescriptor);
    int keys = 20_000;
    for (long k = 0; k < keys; k++) {
      backend.setCurrentKey(k);
      value.update(k);
      list.add(k);
      map.put(k, k * 2);
    }
    Callable<KeyedStateHandle> asyncPart = backend.snapshot(new CheckpointStorage(dir).target(1));
    ExecutorService writer = Executors.newSingleThreadExecutor();
    Future<KeyedStateHandle> written = writer.submit(asyncPart);
    for (int round = 0; round < 3; round++) {
      for (long k = 0; k < keys + 1_000; k++) {
        backend.setCurrentKey(k);
        value.update(-k);
        list.add(-1L);
        map.put(k, -1L);
        if (k % 7 == 0) {
          map.remove(k);
          list.clear();
        }
      }
    }
    KeyedStateHandle handle = written.get();
    writer.shutdown();

    HeapKeyedStateBackend<Long> restored = backend();
    KeyedStateHandleCodecs.forKind(handle.kind())
        .readEntries(handle, dir, ALL, restored::restoreEntry);
    ValueState<Long> v = restored.state(valueDescriptor);
    ListState<Long> l = restored.state(listDescriptor);
    MapState<Long, Long> m = restored.state(mapDescriptor);
    for (long k = 0; k < keys + 1_000; k++) {
      restored.setCurrentKey(k);
      if (k < keys) {
        assertEquals(k, v.value());
        assertEquals(List.of(k), l.get());
        assertEquals(Map.of(k, k * 2), m.entries());
      } else {
        assertNull(v.value());
        assertEquals(List.of(), l.get());
      }
    }
  }

  /** Expired entries are reclaimed as writes go on, without any read of them. */
  @Test
  void expiredEntriesAreReclaimedIncrementallyByLaterWrites() throws Exception {
    HeapKeyedStateBackend<Long> backend = backend();
    ValueState<Long> seen =
        backend.state(
            new ValueStateDescriptor<>("seen", Serializers.longs())
                .withTtl(StateTtl.of(Duration.ofSeconds(1))));
    for (long k = 0; k < 10_000; k++) {
      backend.setCurrentKey(k);
      seen.update(k);
    }
    clock.set(2_000);
    for (long k = 10_000; k < 60_000; k++) {
      backend.setCurrentKey(k);
      seen.update(k);
    }
    assertEquals(50_000, backend.entries());
  }
}
