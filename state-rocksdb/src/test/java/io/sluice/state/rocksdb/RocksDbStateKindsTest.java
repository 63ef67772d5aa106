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
import io.sluice.engine.state.Serializer;
import io.sluice.engine.state.Serializers;
import io.sluice.engine.state.ValueState;
import io.sluice.engine.state.ValueStateDescriptor;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RocksDbStateKindsTest extends StateFixtureTest {
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

  KeyedStateBackend<String> backend;

  @BeforeEach
  void setUp() throws Exception {
    backend = fixture.rocksDb(0, 1);
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
    backend.setCurrentKey("b");
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
    backend.setCurrentKey("b");
    assertEquals(Map.of("x", 10L), state.entries(), "clearing a's map left b's alone");
  }

  /**
   * Keys serialized without a length, one the other plus a zero byte, in one key group: the
   * longer key's map must not take in the shorter key's entries, whose user keys (serialized
   * with a length) start with a zero byte too.
   */
  @Test
  void aKeyWhoseBytesExtendAnothersHasAMapOfItsOwn() throws Exception {
    KeyedStateBackend<String> rawKeys = fixture.rocksDb(0, 1, RAW_STRINGS);
    MapState<String, Long> state =
        rawKeys.state(new MapStateDescriptor<>("m", Serializers.string(), Serializers.longs()));
    String shorter = null;
    for (int i = 0; shorter == null; i++) {
      rawKeys.setCurrentKey("k" + i);
      int keyGroup = rawKeys.currentKeyGroup();
      rawKeys.setCurrentKey("k" + i + "\0");
      shorter = rawKeys.currentKeyGroup() == keyGroup ? "k" + i : null;
    }
    rawKeys.setCurrentKey(shorter);
    state.put("x", 1L);
    rawKeys.setCurrentKey(shorter + "\0");
    assertTrue(state.isEmpty());
    state.put("y", 2L);
    state.clear();
    rawKeys.setCurrentKey(shorter);
    assertEquals(Map.of("x", 1L), state.entries());
  }

  /** UTF-8 without a length. Keys are never read back. */
  static final Serializer<String> RAW_STRINGS =
      new Serializer<>() {
        @Override
        public void serialize(String value, DataOutput out) throws IOException {
          out.write(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String deserialize(DataInput in) {
          throw new UnsupportedOperationException("raw keys are never read back");
        }
      };

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
