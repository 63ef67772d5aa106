package io.sluice.engine;

import static io.sluice.engine.JobTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.function.KeyedProcessFunction;
import io.sluice.engine.function.KeyedRuntimeContext;
import io.sluice.engine.internal.checkpoint.CheckpointMetadata;
import io.sluice.engine.internal.checkpoint.Savepoints;
import io.sluice.engine.source.Output;
import io.sluice.engine.state.Serializers;
import io.sluice.engine.state.ValueState;
import io.sluice.engine.state.ValueStateDescriptor;
import io.sluice.testing.SplitSource;
import io.sluice.testing.TestSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stop with a savepoint, then resume from it: at another parallelism, keyed state intact. */
@Timeout(60)
class SavepointTest {
  private static final long N = 60_000;
  private static final long KEYS = 1_000;
  @TempDir Path dir;

  /** Emits a key the first time it is seen: the keyed-state proof of exactly-once. */
  static final class FirstOfKey extends KeyedProcessFunction<Long, Long, Long> {
    private ValueState<Boolean> seen;

    @Override
    public void open(KeyedRuntimeContext context) throws Exception {
      seen = context.state(new ValueStateDescriptor<>("seen", Serializers.booleans()));
    }

    @Override
    public void processElement(Long value, Context<Long> ctx, Output<Long> out) throws Exception {
      if (seen.value() == null) {
        seen.update(true);
        out.collect(ctx.currentKey());
      }
    }
  }

  /** values -> every value into one sink; first value of each key (value % KEYS) into another. */
  private static void declare(StreamEnvironment env, SplitSource source, int parallelism,
      TestSink values, TestSink keys) {
    DataStream<Long> numbers = env.fromSource(source, "numbers", 2);
    numbers.sinkTo(values, "values");
    numbers
        .keyBy(v -> v % KEYS, Serializers.longs(), parallelism)
        .process(FirstOfKey::new)
        .uid("first-of-key")
        .sinkTo(keys, "keys");
  }

  /**
   * Runs from the savepoint {@code from} (or the checkpoint directory when null) until {@code
   * values} published {@code published} records, then stops, with a savepoint in {@code to} when
   * it is not null.
   */
  private JobResult runUntil(SplitSource source, long published, Path from, Path to,
      TestSink values, TestSink keys) throws Exception {
    JobConfig config = config(dir.resolve("checkpoints"));
    StreamEnvironment env = new StreamEnvironment(from == null ? config : config.withRestoreFrom(from));
    declare(env, source, 2, values, keys);
    JobHandle handle = env.start();
    values.awaitPublished(s -> s.publishedCount() >= published, Duration.ofSeconds(30));
    if (to == null) {
      handle.stop();
    } else {
      handle.stopWithSavepoint(to);
    }
    return handle.await();
  }

  @Test
  void aSavepointResumesAtAnotherParallelismWithItsKeyedState() throws Exception {
    TestSink values = new TestSink();
    TestSink keys = new TestSink();
    Path savepoint = dir.resolve("savepoint");
    SplitSource first = new SplitSource(N, 6).recordsPerPoll(100).idleBetweenPolls(true);
    first.limit.set(N / 2);
    JobResult stopped = runUntil(first, N / 4, null, savepoint, values, keys);

    assertEquals(savepoint.toAbsolutePath(), stopped.savepoint());
    Savepoints.Located located = Savepoints.load(savepoint);
    assertEquals(CheckpointMetadata.Kind.SAVEPOINT, located.metadata().kind());
    assertEquals(stopped.lastCompletedCheckpointId(), located.metadata().checkpointId());
    // Committed before the job ended: everything read is published, nothing is pending.
    long publishedAtStop = values.publishedCount();
    assertTrue(publishedAtStop >= N / 4 && publishedAtStop <= N / 2, "published " + publishedAtStop);

    SplitSource second = new SplitSource(N, 6).recordsPerPoll(500);
    StreamEnvironment run2 =
        new StreamEnvironment(config(dir.resolve("resumed")).withRestoreFrom(savepoint));
    declare(run2, second, 3, values, keys);
    run2.execute();

    values.assertExactly(N);
    keys.assertExactly(KEYS);
    assertEquals(List.of(-1L, stopped.lastCompletedCheckpointId()), values.discardCalls);
    // The savepoint carries the lineage into another checkpoint directory; a fresh start does not.
    String lineage = located.metadata().lineage();
    assertEquals(List.of(lineage, lineage), values.committerLineages);
    TestSink fresh = new TestSink();
    StreamEnvironment run3 = new StreamEnvironment(config(dir.resolve("fresh")));
    declare(run3, new SplitSource(100, 2), 2, fresh, new TestSink());
    run3.execute();
    assertEquals(1, fresh.committerLineages.size());
    assertNotEquals(lineage, fresh.committerLineages.get(0));
  }

  /** Started again with the same savepoint after it ran on: the newer checkpoint wins. */
  @Test
  void aNewerCheckpointWinsOverTheSavepointItStartedFrom() throws Exception {
    TestSink values = new TestSink();
    TestSink keys = new TestSink();
    Path savepoint = dir.resolve("savepoint");
    SplitSource source = new SplitSource(N, 6).recordsPerPoll(100).idleBetweenPolls(true);
    source.limit.set(N / 3);
    long savepointId =
        runUntil(source, N / 6, null, savepoint, values, keys).lastCompletedCheckpointId();
    source.limit.set(2 * N / 3);
    long latest = runUntil(source, N / 2, savepoint, null, values, keys).lastCompletedCheckpointId();
    assertTrue(latest > savepointId);

    source.limit.set(Long.MAX_VALUE);
    StreamEnvironment run3 =
        new StreamEnvironment(config(dir.resolve("checkpoints")).withRestoreFrom(savepoint));
    declare(run3, source, 2, values, keys);
    run3.execute();
    values.assertExactly(N);
    keys.assertExactly(KEYS);
    assertTrue(values.discardCalls.get(2) >= latest, "run 3 restored " + values.discardCalls);
  }

  @Test
  void aSavepointNeverOverwritesAnotherDirectory() throws Exception {
    Path taken = Files.createDirectories(dir.resolve("taken"));
    Files.writeString(taken.resolve("keep.txt"), "mine");
    StreamEnvironment env = new StreamEnvironment(config(dir.resolve("checkpoints")));
    declare(env, new SplitSource(Long.MAX_VALUE / 2, 2).idleBetweenPolls(true), 2,
        new TestSink(), new TestSink());
    JobHandle handle = env.start();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> handle.stopWithSavepoint(taken));
    assertTrue(e.getMessage().contains(taken + " is not empty"), e.getMessage());
    assertTrue(handle.isRunning());
    handle.stop();
    handle.await();
    assertEquals("mine", Files.readString(taken.resolve("keep.txt")));
  }
}
