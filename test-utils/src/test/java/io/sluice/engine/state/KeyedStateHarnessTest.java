package io.sluice.engine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.state.AllStates.Cmd;
import io.sluice.testing.OperatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Keyed state, time-to-live, timers, snapshots and rescaling, each driven through the harness. */
class KeyedStateHarnessTest {

  private static OperatorHarness<String> harness(Supplier<AllStates> function) {
    return OperatorHarness.keyed(Cmd::key, Serializers.string(), function);
  }

  @Test
  void everyKindOfStateKeepsOneValuePerKey() throws Exception {
    try (OperatorHarness<String> h = harness(AllStates::new).open()) {
      h.processElement(Cmd.of("a", "set", 7));
      h.processElement(Cmd.of("a", "add", 1));
      h.processElement(Cmd.of("a", "add", 3));
      h.processElement(Cmd.of("b", "add", 10));
      h.processElement(Cmd.of("a", "remove", 1));
      h.processElement(Cmd.of("a", "get", 0));
      h.processElement(Cmd.of("b", "get", 0));
      h.processElement(Cmd.of("c", "get", 0));
      h.processElement(Cmd.of("a", "clear", 0));
      h.processElement(Cmd.of("a", "get", 0));
      assertEquals(
          List.of(
              "a value=7 list=[1, 3] map={m3=3} sum=4 average=2.0",
              "b value=null list=[10] map={m10=10} sum=10 average=10.0",
              "c value=null list=[] map={} sum=null average=null",
              "a value=null list=[] map={} sum=null average=null"),
          h.output());
    }
  }

  @Test
  void valuesExpireAfterTheirTimeToLive() throws Exception {
    try (OperatorHarness<String> h =
        harness(() -> AllStates.withTtl(Duration.ofSeconds(10))).processingTime(1_000).open()) {
      h.processElement(Cmd.of("a", "set", 1));
      h.processElement(Cmd.of("a", "add", 5));
      h.setProcessingTime(6_000);
      h.processElement(Cmd.of("a", "add", 6)); // list and map elements expire one by one
      h.setProcessingTime(10_999);
      h.processElement(Cmd.of("a", "get", 0));
      h.setProcessingTime(11_000);
      h.processElement(Cmd.of("a", "get", 0));
      h.setProcessingTime(16_000);
      h.processElement(Cmd.of("a", "get", 0));
      assertEquals(
          List.of(
              "a value=1 list=[5, 6] map={m5=5, m6=6} sum=11 average=5.5",
              "a value=null list=[6] map={m6=6} sum=11 average=5.5",
              "a value=null list=[] map={} sum=null average=null"),
          h.output());
    }
  }

  @Test
  void readingRestartsTheTimeToLiveWhenAskedTo() throws Exception {
    StateTtl ttl = StateTtl.of(Duration.ofSeconds(10)).refreshedOnRead();
    try (OperatorHarness<String> h = harness(() -> new AllStates(ttl)).open()) {
      h.processElement(Cmd.of("a", "set", 1));
      h.setProcessingTime(9_000);
      h.processElement(Cmd.of("a", "get", 0));
      h.setProcessingTime(18_000);
      h.processElement(Cmd.of("a", "get", 0));
      h.setProcessingTime(28_000);
      h.processElement(Cmd.of("a", "get", 0));
      List<String> out = h.output();
      assertTrue(out.get(1).startsWith("a value=1"), out.get(1));
      assertTrue(out.get(2).startsWith("a value=null"), out.get(2));
    }
  }

  @Test
  void expiredValuesAreLeftOutOfSnapshots() throws Exception {
    OperatorHarness.Snapshot snapshot;
    try (OperatorHarness<String> h =
        harness(() -> AllStates.withTtl(Duration.ofSeconds(10))).open()) {
      h.processElement(Cmd.of("old", "set", 1));
      h.setProcessingTime(8_000);
      h.processElement(Cmd.of("new", "set", 2));
      h.setProcessingTime(12_000);
      snapshot = h.snapshot(1);
    }
    // Restored with the clock back at 0, an expired value written into the snapshot would be live.
    try (OperatorHarness<String> h =
        harness(() -> AllStates.withTtl(Duration.ofSeconds(10))).restore(List.of(snapshot))) {
      h.processElement(Cmd.of("old", "get", 0));
      h.processElement(Cmd.of("new", "get", 0));
      assertTrue(h.output().get(0).startsWith("old value=null"), h.output().get(0));
      assertTrue(h.output().get(1).startsWith("new value=2"), h.output().get(1));
    }
  }

  @Test
  void processingTimeTimersFireInOrderOncePerKeyAndTime() throws Exception {
    try (OperatorHarness<String> h = harness(AllStates::new).open()) {
      h.processElement(Cmd.of("a", "timer", 300));
      h.processElement(Cmd.of("b", "timer", 100));
      h.processElement(Cmd.of("a", "timer", 100));
      h.processElement(Cmd.of("a", "timer", 100)); // the same timer again
      h.processElement(Cmd.of("b", "timer", 200));
      h.processElement(Cmd.of("b", "delete-timer", 200));
      h.setProcessingTime(150);
      assertEquals(
          List.of("b PROCESSING_TIME timer at 100", "a PROCESSING_TIME timer at 100"),
          h.takeOutput());
      h.setProcessingTime(1_000);
      assertEquals(List.of("a PROCESSING_TIME timer at 300"), h.takeOutput());
    }
  }

  @Test
  void eventTimeTimersFireWhenTheWatermarkPassesThemOrTheInputEnds() throws Exception {
    try (OperatorHarness<String> h = harness(AllStates::new).open()) {
      h.processElement(Cmd.of("a", "event-timer", 50));
      h.processElement(Cmd.of("b", "event-timer", 5_000));
      h.processWatermark(49);
      assertEquals(List.of(), h.output());
      h.processWatermark(50);
      assertEquals(List.of("a EVENT_TIME timer at 50"), h.takeOutput());
      h.endInput();
      assertEquals(List.of("b EVENT_TIME timer at 5000"), h.takeOutput());
    }
  }

  @Test
  void stateAndTimersSurviveASnapshotAndRestore() throws Exception {
    OperatorHarness.Snapshot snapshot;
    try (OperatorHarness<String> h = harness(AllStates::new).open()) {
      h.processElement(Cmd.of("a", "set", 3));
      h.processElement(Cmd.of("a", "add", 4));
      h.processElement(Cmd.of("a", "timer", 500));
      h.processElement(Cmd.of("b", "event-timer", 70));
      snapshot = h.snapshot(1);
      h.processElement(Cmd.of("a", "set", 99)); // after the snapshot: not restored
    }
    try (OperatorHarness<String> h = harness(AllStates::new).restore(List.of(snapshot))) {
      h.processElement(Cmd.of("a", "get", 0));
      h.setProcessingTime(500);
      h.processWatermark(100);
      assertEquals(
          List.of(
              "a value=3 list=[4] map={m4=4} sum=4 average=4.0",
              "a PROCESSING_TIME timer at 500",
              "b EVENT_TIME timer at 70"),
          h.output());
    }
  }

  /** 1 -> 3 -> 2 subtasks: every key's state and timers end up in the subtask owning it. */
  @Test
  void rescalingRedistributesKeyGroups() throws Exception {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      keys.add("k" + i);
    }
    List<OperatorHarness.Snapshot> snapshots = new ArrayList<>();
    try (OperatorHarness<String> h = harness(AllStates::new).open()) {
      for (int i = 0; i < keys.size(); i++) {
        h.processElement(Cmd.of(keys.get(i), "add", i));
        h.processElement(Cmd.of(keys.get(i), "timer", 1_000 + i));
      }
      snapshots.add(h.snapshot(7));
    }
    snapshots = rescale(snapshots, 3, keys, 8);
    snapshots = rescale(snapshots, 2, keys, 9);
    List<String> fired = new ArrayList<>();
    for (int subtask = 0; subtask < 2; subtask++) {
      try (OperatorHarness<String> h =
          harness(AllStates::new).parallelism(2, subtask).restore(snapshots)) {
        h.setProcessingTime(10_000);
        fired.addAll(h.output());
      }
    }
    assertEquals(keys.size(), fired.size(), "each timer fires once, in one subtask");
  }

  /**
   * Restores {@code snapshots} into {@code parallelism} subtasks, checks each key's state in the
   * subtask that owns it (and that no other subtask accepts the key), snapshots them all.
   */
  private static List<OperatorHarness.Snapshot> rescale(
      List<OperatorHarness.Snapshot> snapshots, int parallelism, List<String> keys, long id)
      throws Exception {
    List<OperatorHarness.Snapshot> next = new ArrayList<>();
    int checked = 0;
    for (int subtask = 0; subtask < parallelism; subtask++) {
      try (OperatorHarness<String> h =
          harness(AllStates::new).parallelism(parallelism, subtask).restore(snapshots)) {
        for (int i = 0; i < keys.size(); i++) {
          try {
            h.processElement(Cmd.of(keys.get(i), "get", 0));
          } catch (IllegalStateException notOwned) {
            assertTrue(notOwned.getMessage().contains("does not own"), notOwned.getMessage());
            continue;
          }
          List<String> out = h.takeOutput();
          assertEquals(
              List.of(keys.get(i) + " value=null list=[" + i + "] map={m" + i + "=" + i + "} sum="
                  + i + " average=" + (double) i),
              out);
          checked++;
        }
        next.add(h.snapshot(id));
      }
    }
    assertEquals(keys.size(), checked, "every key is owned by exactly one subtask");
    return next;
  }

  @Test
  void sideOutputsOfAKeyedFunction() throws Exception {
    try (OperatorHarness<String> h = harness(AllStates::new).open()) {
      h.processElement(Cmd.of("a", "side", 1));
      h.processElement(Cmd.of("b", "side", 2));
      assertEquals(List.of("a:1", "b:2"), h.sideOutput(AllStates.SIDE));
      assertEquals(List.of(), h.output());
    }
  }

  @Test
  void aStateRestoredUnderAnotherKindIsRefusedNamingIt() throws Exception {
    OperatorHarness.Snapshot snapshot;
    try (OperatorHarness<String> h = harness(AllStates::new).open()) {
      h.processElement(Cmd.of("a", "set", 1));
      snapshot = h.snapshot(1);
    }
    OperatorHarness<String> h =
        OperatorHarness.keyed(
            Cmd::key,
            Serializers.string(),
            () -> new io.sluice.engine.function.KeyedProcessFunction<String, Cmd, String>() {
              @Override
              public void open(io.sluice.engine.function.KeyedRuntimeContext c) throws Exception {
                c.listState(new ListStateDescriptor<>("value", Serializers.longs()));
              }

              @Override
              public void processElement(
                  Cmd value, Context<String> ctx, io.sluice.engine.source.Output<String> out) {}
            });
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> h.restore(List.of(snapshot)));
    assertTrue(e.getMessage().contains("state 'value' was checkpointed as value state"), e.getMessage());
  }
}
