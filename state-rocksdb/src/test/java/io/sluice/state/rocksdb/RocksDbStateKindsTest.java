package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.internal.state.KeyedStateBackend;
import io.sluice.engine.state.AggregateFunction;
import io.sluice.engine.state.AggregatingState;
import io.sluice.engine.state.AggregatingStateDescriptor;
import io.sluice.engine.state.ListState;
import io.sluice.engine.state.ListStateDescriptor;
import io.sluice.engine.state.MapState;
import io.sluice.engine.state.MapStateDescriptor;
import io.sluice.engine.state.ReducingState;
import io.sluice.engine.state.ReducingStateDescriptor;
import io.sluice.engine.state.Serializers;
import io.sluice.engine.state.ValueState;
import io.sluice.engine.state.ValueStateDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RocksDbStateKindsTest {
  /** Average of longs; the accumulator is {sum, count}. */
  static final AggregateFunction<Long, List<Long>, Double> AVERAGE =
      new AggregateFunction<>() {
        @Override
        public List<Long> createAccumulator() {
          return new ArrayList<>(List.of(0L, 0L));
        }

        @Override
        public List<Long> add(Long value, List<Long> acc) {
          acc.set(0, acc.get(0) + value);
          acc.set(1, acc.get(1) + 1);
          return acc;
        }

        @Override
        public Double result(List<Long> acc) {
          return (double) acc.get(0) / acc.get(1);
        }
      };

  @TempDir Path dir;
  StateFixture fixture;
  KeyedStateBackend<String> backend;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new StateFixture(dir);
    backend = fixture.rocksDb(0, 1);
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  @Test
  void valueStatePerKey() throws Exception {
    ValueState<Long> state = backend.state(new ValueStateDescriptor<>("v", Serializers.longs()));
    backend.setCurrentKey("a");
    assertNull(state.value());
    state.update(1L);
    backend.setCurrentKey("b");
    state.update(2L);
    assertEquals(2L, state.value());
    backend.setCurrentKey("a");
    assertEquals(1L, state.value());
    state.update(null);
    assertNull(state.value(), "updating to null clears");
    backend.setCurrentKey("b");
    state.clear();
    assertNull(state.value());
  }

  @Test
  void listStateAppendsInOrder() throws Exception {
    ListState<String> state =
        backend.state(new ListStateDescriptor<>("l", Serializers.string()));
    backend.setCurrentKey("k");
    assertEquals(List.of(), state.get());
    state.add("x");
    state.addAll(List.of("y", "z"));
    state.addAll(List.of());
    state.add("x");
    assertEquals(List.of("x", "y", "z", "x"), state.get());
    backend.setCurrentKey("other");
    assertEquals(List.of(), state.get());
    backend.setCurrentKey("k");
    state.update(List.of("only"));
    assertEquals(List.of("only"), state.get());
    state.update(List.of());
    assertEquals(List.of(), state.get(), "updating to an empty list clears");
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> state.addAll(Arrays.asList("a", null)));
    assertEquals("list state 'l' cannot hold null", e.getMessage());
    assertEquals(List.of(), state.get(), "a failed add adds nothing");
  }

  @Test
  void mapStateKeepsEachKeysEntriesApart() throws Exception {
    MapState<String, Long> state =
        backend.state(new MapStateDescriptor<>("m", Serializers.string(), Serializers.longs()));
    backend.setCurrentKey("a");
    assertTrue(state.isEmpty());
    state.put("x", 1L);
    state.put("y", 2L);
    // "ab" starts with the bytes of "a": its entries must not show in a's map, nor a's in its.
    backend.setCurrentKey("ab");
    state.put("x", 10L);
    assertEquals(Map.of("x", 10L), state.entries());
    backend.setCurrentKey("a");
    assertEquals(Map.of("x", 1L, "y", 2L), state.entries());
    assertEquals(2L, state.get("y"));
    assertTrue(state.contains("x"));
    assertFalse(state.contains("z"));
    state.remove("x");
    state.put("y", null);
    assertNull(state.get("y"), "putting null removes");
    assertTrue(state.isEmpty());
    state.put("z", 3L);
    state.clear();
    assertEquals(Map.of(), state.entries());
    backend.setCurrentKey("ab");
    assertEquals(Map.of("x", 10L), state.entries(), "clearing a's map left ab's alone");
  }

  @Test
  void reducingStateFoldsWhatIsAdded() throws Exception {
    ReducingState<Long> state =
        backend.state(new ReducingStateDescriptor<>("sum", Long::sum, Serializers.longs()));
    backend.setCurrentKey("k");
    assertNull(state.get());
    state.add(3L);
    state.add(4L);
    assertEquals(7L, state.get());
    state.clear();
    assertNull(state.get());
  }

  @Test
  void aggregatingStateKeepsTheAccumulator() throws Exception {
    AggregatingState<Long, Double> state =
        backend.state(
            new AggregatingStateDescriptor<>(
                "avg", AVERAGE, Serializers.listOf(Serializers.longs())));
    backend.setCurrentKey("k");
    assertNull(state.get());
    state.add(1L);
    state.add(2L);
    state.add(6L);
    assertEquals(3.0, state.get());
    backend.setCurrentKey("other");
    assertNull(state.get());
  }

  @Test
  void aStateNameHasOneKind() throws Exception {
    backend.state(new ValueStateDescriptor<>("s", Serializers.longs()));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> backend.state(new ListStateDescriptor<>("s", Serializers.longs())));
    assertEquals(
        "list state 's' is already declared as value state 's' in operator dedupe",
        e.getMessage());
  }

  @Test
  void aRestoredStateMustBeDeclaredWithItsKind() throws Exception {
    ListState<String> list =
        backend.state(new ListStateDescriptor<>("s", Serializers.string()));
    backend.setCurrentKey("k");
    list.add("x");
    var handles = fixture.checkpoint(1, backend);
    KeyedStateBackend<String> restored = fixture.rocksDb(0, 1);
    fixture.restore(restored, handles);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> restored.state(new ValueStateDescriptor<>("s", Serializers.string())));
    assertEquals(
        "state 's' was checkpointed as list state but is now declared as value state 's':"
            + " restore it under its old kind, or give the new state another name",
        e.getMessage());
  }

  @Test
  void aKeyOfAnotherSubtaskIsRefused() throws Exception {
    KeyedStateBackend<String> second = fixture.rocksDb(1, 2);
    String foreign = null;
    for (int i = 0; foreign == null; i++) {
      backend.setCurrentKey("key" + i);
      if (!second.keyGroupRange().contains(backend.currentKeyGroup())) {
        foreign = "key" + i;
      }
    }
    String key = foreign;
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> second.setCurrentKey(key));
    assertTrue(e.getMessage().contains("which subtask 1 of operator dedupe does not own"),
        e.getMessage());
  }

  @Test
  void stateNeedsAKey() throws Exception {
    ValueState<Long> state = backend.state(new ValueStateDescriptor<>("v", Serializers.longs()));
    assertThrows(IllegalStateException.class, state::value);
  }
}
