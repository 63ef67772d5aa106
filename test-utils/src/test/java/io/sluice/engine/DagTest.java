package io.sluice.engine;

import static io.sluice.engine.JobTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.function.ProcessFunction;
import io.sluice.engine.source.Output;
import io.sluice.testing.SplitSource;
import io.sluice.testing.TestSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Jobs shaped as graphs: branches, unions, side outputs, several sinks, across a failure. */
@Timeout(60)
class DagTest {
  @TempDir Path dir;

  /** One stream feeds two sinks; each commits every checkpoint on its own. */
  @Test
  void aStreamFeedsTwoSinksEachWithItsOwnTwoPhaseCommit() throws Exception {
    long n = 20_000;
    TestSink all = new TestSink();
    TestSink halves = new TestSink();
    StreamEnvironment env = new StreamEnvironment(config(dir));
    DataStream<Long> numbers = env.fromSource(new SplitSource(n, 4).recordsPerPoll(200), "numbers", 2);
    numbers.map(v -> v).sinkTo(all, "all");
    numbers.filter(v -> v % 2 == 0).map(v -> v / 2).rebalance(3).sinkTo(halves, "halves");
    JobResult result = env.execute();

    all.assertExactly(n);
    halves.assertExactly(n / 2);
    assertEquals(n + n / 2, result.recordsWritten());
    assertEquals(all.publishedCheckpoints(), halves.publishedCheckpoints());
  }

  /** Two sources into one stream: once with the same parallelism (pointwise), once rebalanced. */
  @Test
  void unionedStreamsDeliverEveryRecordOfEach() throws Exception {
    long n = 10_000;
    TestSink sink = new TestSink();
    StreamEnvironment env = new StreamEnvironment(config(dir));
    DataStream<Long> low = env.fromSource(new SplitSource(n, 3), "low", 2);
    DataStream<Long> high = env.fromSource(new SplitSource(n, 5), "high", 2).map(v -> v + n);
    DataStream<Long> third =
        env.fromSource(new SplitSource(n, 2), "third", 1).map(v -> v + 2 * n);
    low.union(high, third).map(v -> v).sinkTo(sink, "out");
    env.execute();
    sink.assertExactly(3 * n);
  }

  private static final OutputTag<Long> ODD = new OutputTag<>("odd");

  /** Evens to the main output, odds to a side output, each into its own sink. */
  @Test
  void sideOutputsAreStreamsOfTheirOwn() throws Exception {
    long n = 10_000;
    TestSink evens = new TestSink();
    TestSink odds = new TestSink();
    StreamEnvironment env = new StreamEnvironment(config(dir));
    DataStream<Long> split =
        env.fromSource(new SplitSource(n, 4), "numbers", 2)
            .process(
                () ->
                    new ProcessFunction<Long, Long>() {
                      @Override
                      public void processElement(Long v, Context ctx, Output<Long> out) {
                        if (v % 2 == 0) {
                          out.collect(v / 2);
                        } else {
                          ctx.output(ODD, v / 2);
                        }
                      }
                    });
    split.sinkTo(evens, "evens");
    split.sideOutput(ODD).rebalance(1).sinkTo(odds, "odds");
    env.execute();
    evens.assertExactly(n / 2);
    odds.assertExactly(n / 2);
  }

  /**
   * A source emits to a side output as a process function does: evens to its main output, odds to
   * the side output, each into its own sink. A crash between the two sinks' commits of one
   * checkpoint restores both from it: the restore commits it again in both, publishing nothing
   * twice.
   */
  @Test
  void aSourceSideOutputFeedsASinkOfItsOwnCommittedWithTheSameCheckpoints() throws Exception {
    long n = 40_000;
    TestSink evens = new TestSink();
    TestSink odds = new TestSink();
    odds.failBeforePublish.add(3L); // evens, the first sink, has published checkpoint 3
    StreamEnvironment env =
        new StreamEnvironment(config(dir).withRestarts(1, Duration.ofMillis(10)));
    DataStream<Long> numbers =
        env.fromSource(
            new SplitSource(n, 4).recordsPerPoll(100).idleBetweenPolls(true)
                .sideOutput(ODD, v -> v % 2 == 1),
            "numbers",
            2);
    numbers.map(v -> v / 2).sinkTo(evens, "evens");
    numbers.sideOutput(ODD).map(v -> v / 2).sinkTo(odds, "odds");
    env.execute();
    evens.assertExactly(n / 2);
    odds.assertExactly(n / 2);
    assertEquals(2, evens.commitCalls.get(3L));
    assertEquals(2, odds.commitCalls.get(3L));
    assertEquals(List.of(-1L, 3L), evens.discardCalls);
    assertEquals(evens.discardCalls, odds.discardCalls);
    assertEquals(evens.publishedCheckpoints(), odds.publishedCheckpoints());
    assertEquals(List.of(), evens.violations);
    assertEquals(List.of(), odds.violations);
  }

  /** keyBy without a serializer, for keys of common types: each key's records meet in one task. */
  @Test
  void keyByCommonKeysRoutesEqualKeysTogether() throws Exception {
    long n = 20_000;
    TestSink firsts = new TestSink();
    StreamEnvironment env = new StreamEnvironment(config(dir));
    env.fromSource(new SplitSource(n, 4), "numbers", 2)
        .keyBy(v -> "key-" + (v % 500))
        .process(() -> new io.sluice.engine.function.KeyedProcessFunction<String, Long, Long>() {
          private io.sluice.engine.state.ValueState<Boolean> seen;

          @Override
          public void open(io.sluice.engine.function.KeyedRuntimeContext c) throws Exception {
            seen = c.state(new io.sluice.engine.state.ValueStateDescriptor<>(
                "seen", io.sluice.engine.state.Serializers.booleans()));
          }

          @Override
          public void processElement(Long v, Context<String> ctx, Output<Long> out)
              throws Exception {
            if (seen.value() == null) {
              seen.update(true);
              out.collect(Long.parseLong(ctx.currentKey().substring(4)));
            }
          }
        })
        .rebalance(1)
        .sinkTo(firsts, "firsts");
    env.execute();
    firsts.assertExactly(500);
  }

  /** A failure in one branch restores both sinks' commits from the same checkpoint. */
  @Test
  void aFailureInOneBranchRestoresTheWholeGraph() throws Exception {
    long n = 60_000;
    TestSink a = new TestSink();
    TestSink b = new TestSink();
    java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
    StreamEnvironment env =
        new StreamEnvironment(config(dir).withRestarts(1, Duration.ofMillis(10)));
    DataStream<Long> numbers =
        env.fromSource(
            new SplitSource(n, 4).recordsPerPoll(100).idleBetweenPolls(true), "numbers", 2);
    numbers.sinkTo(a, "a");
    numbers
        .map(
            v -> {
              if (b.publishedCheckpoints().size() >= 3 && failed.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at " + v);
              }
              return v;
            })
        .rebalance(2)
        .sinkTo(b, "b");
    env.execute();
    assertTrue(failed.get());
    a.assertExactly(n);
    b.assertExactly(n);
    assertEquals(2, a.discardCalls.size());
    assertEquals(a.discardCalls, b.discardCalls);
  }
}
