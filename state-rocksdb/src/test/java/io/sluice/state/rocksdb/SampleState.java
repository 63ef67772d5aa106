package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.engine.internal.state.KeyedStateBackend;
import io.sluice.engine.state.AggregatingStateDescriptor;
import io.sluice.engine.state.ListStateDescriptor;
import io.sluice.engine.state.MapStateDescriptor;
import io.sluice.engine.state.ReducingStateDescriptor;
import io.sluice.engine.state.Serializers;
import io.sluice.engine.state.StateTtl;
import io.sluice.engine.state.ValueStateDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** One state of each kind (the value one with a time-to-live), with values derived from keys. */
final class SampleState {
  static final List<String> STATES = List.of("value", "list", "map", "sum", "avg");
  static final StateTtl TTL = StateTtl.of(Duration.ofDays(1));

  private SampleState() {}

  static List<String> keys(int count) {
    return IntStream.range(0, count).mapToObj(i -> "key" + i).toList();
  }

  private static int number(String key) {
    return Integer.parseInt(key.substring(3));
  }

  /** Writes each of {@code keys} to the subtask that owns it. */
  @SafeVarargs
  static void writeAll(List<String> keys, KeyedStateBackend<String>... subtasks) throws Exception {
    for (String key : keys) {
      write(StateFixture.owner(key, subtasks), key);
    }
  }

  /** Checks each of {@code keys} in the subtask that owns it. */
  @SafeVarargs
  static void assertAllHold(List<String> keys, KeyedStateBackend<String>... subtasks)
      throws Exception {
    for (String key : keys) {
      assertHolds(StateFixture.owner(key, subtasks), key);
    }
  }

  static void write(KeyedStateBackend<String> backend, String key) throws Exception {
    long n = number(key);
    backend.setCurrentKey(key);
    backend.state(value()).update(n);
    backend.state(list()).addAll(List.of(key, key + "!"));
    backend.state(map()).put("plus", n + 1);
    backend.state(map()).put("minus", -n);
    backend.state(sum()).add(n);
    backend.state(sum()).add(1L);
    backend.state(average()).add(n);
    backend.state(average()).add(n + 2);
  }

  static void assertHolds(KeyedStateBackend<String> backend, String key) throws Exception {
    long n = number(key);
    backend.setCurrentKey(key);
    assertEquals(n, backend.state(value()).value(), key);
    assertEquals(List.of(key, key + "!"), backend.state(list()).get(), key);
    assertEquals(Map.of("plus", n + 1, "minus", -n), backend.state(map()).entries(), key);
    assertEquals(n + 1, backend.state(sum()).get(), key);
    assertEquals(n + 1.0, backend.state(average()).get(), key);
  }

  static ValueStateDescriptor<Long> value() {
    return new ValueStateDescriptor<>("value", Serializers.longs()).withTtl(TTL);
  }

  static ListStateDescriptor<String> list() {
    return new ListStateDescriptor<>("list", Serializers.string());
  }

  static MapStateDescriptor<String, Long> map() {
    return new MapStateDescriptor<>("map", Serializers.string(), Serializers.longs());
  }

  static ReducingStateDescriptor<Long> sum() {
    return new ReducingStateDescriptor<>("sum", Long::sum, Serializers.longs());
  }

  static AggregatingStateDescriptor<Long, List<Long>, Double> average() {
    return new AggregatingStateDescriptor<>(
        "avg", RocksDbStateKindsTest.AVERAGE, Serializers.listOf(Serializers.longs()));
  }
}
