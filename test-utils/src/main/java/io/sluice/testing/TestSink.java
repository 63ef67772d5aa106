package io.sluice.testing;

import io.sluice.engine.sink.CommittableSerializer;
import io.sluice.engine.sink.CommitterContext;
import io.sluice.engine.sink.GlobalCommitter;
import io.sluice.engine.sink.SinkContext;
import io.sluice.engine.sink.SinkWriter;
import io.sluice.engine.sink.TwoPhaseCommitSink;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A two-phase-commit sink of longs for tests. Writers stage the values of each checkpoint in a
 * committable; the committer publishes a checkpoint's values into {@link #published}, idempotent by
 * checkpoint id (like Delta's txn(appId, version)). All observations survive restarts (the sink
 * object is the "table").
 */
public final class TestSink implements TwoPhaseCommitSink<Long, TestSink.Staged> {

  /** Values one writer staged for one checkpoint. */
  public record Staged(int subtask, long checkpointId, long[] values) {}

  private final Object lock = new Object();
  private final List<Long> published = new ArrayList<>();
  private final Set<Long> publishedCheckpoints = new HashSet<>();
  public final Map<Long, Integer> commitCalls = new ConcurrentHashMap<>();
  public final List<Long> discardCalls = new CopyOnWriteArrayList<>();
  public final List<Long> writerRestoredIds = new CopyOnWriteArrayList<>();
  public final List<String> violations = new CopyOnWriteArrayList<>();
  public final AtomicInteger committersCreated = new AtomicInteger();
  /** The lineage each created committer was given, in creation order. */
  public final List<String> committerLineages = new CopyOnWriteArrayList<>();
  public final AtomicInteger committersClosed = new AtomicInteger();
  public final AtomicInteger writersCreated = new AtomicInteger();
  public final AtomicInteger writersClosed = new AtomicInteger();
  /** Checkpoint ids whose first commit call throws before publishing. */
  public final Set<Long> failBeforePublish = ConcurrentHashMap.newKeySet();
  /** Checkpoint ids whose first commit call throws after publishing ("state unknown"). */
  public final Set<Long> failAfterPublish = ConcurrentHashMap.newKeySet();
  /** Writers sleep this long per record. */
  public volatile long writeDelayNanos;
  /** Called by writers before each write (e.g. to observe in-flight records). */
  public volatile java.util.function.LongConsumer onWrite = v -> {};
  /** Writers block in prepareCommit (until interrupted) for checkpoint ids matching this. */
  public volatile Predicate<Long> hangInPrepareCommit = id -> false;
  /** Called by the committer before it publishes a checkpoint (e.g. to make a commit slow). */
  public volatile CommitHook beforePublish = id -> {};

  /** Runs in the committer thread; may block (until interrupted) or throw. */
  @FunctionalInterface
  public interface CommitHook {
    void accept(long checkpointId) throws InterruptedException;
  }
  private final AtomicBoolean committing = new AtomicBoolean();

  @Override
  public SinkWriter<Long, Staged> createWriter(SinkContext context) {
    writersCreated.incrementAndGet();
    writerRestoredIds.add(context.restoredCheckpointId());
    return new Writer(context);
  }

  @Override
  public GlobalCommitter<Staged> createCommitter(CommitterContext context) {
    committersCreated.incrementAndGet();
    committerLineages.add(context.lineage());
    return new Committer();
  }

  @Override
  public CommittableSerializer<Staged> committableSerializer() {
    return new CommittableSerializer<>() {
      @Override
      public byte[] serialize(Staged c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + 8 * c.values().length);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(c.subtask());
        out.writeLong(c.checkpointId());
        out.writeInt(c.values().length);
        for (long v : c.values()) {
          out.writeLong(v);
        }
        out.flush();
        return bytes.toByteArray();
      }

      @Override
      public Staged deserialize(byte[] b) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
        int subtask = in.readInt();
        long id = in.readLong();
        long[] values = new long[in.readInt()];
        for (int i = 0; i < values.length; i++) {
          values[i] = in.readLong();
        }
        return new Staged(subtask, id, values);
      }
    };
  }

  /** The published values, sorted. */
  public List<Long> publishedSorted() {
    synchronized (lock) {
      List<Long> copy = new ArrayList<>(published);
      Collections.sort(copy);
      return copy;
    }
  }

  public int publishedCount() {
    synchronized (lock) {
      return published.size();
    }
  }

  public Set<Long> publishedCheckpoints() {
    synchronized (lock) {
      return new HashSet<>(publishedCheckpoints);
    }
  }

  /** The sink published exactly 0..n-1: nothing lost, nothing twice. */
  public void assertExactly(long n) {
    List<Long> got = publishedSorted();
    if (got.size() != n) {
      java.util.BitSet seen = new java.util.BitSet();
      StringBuilder dup = new StringBuilder();
      for (long v : got) {
        if (seen.get((int) v) && dup.length() < 200) {
          dup.append(v).append(' ');
        }
        seen.set((int) v);
      }
      StringBuilder missing = new StringBuilder();
      int i = seen.nextClearBit(0);
      int shown = 0;
      while (i < n && shown++ < 20) {
        missing.append(i).append(' ');
        i = seen.nextClearBit(i + 1);
      }
      throw new AssertionError("published " + got.size() + " of " + n + "; missing: " + missing
          + (seen.cardinality() < n ? "(" + (n - seen.cardinality()) + " in all)" : "")
          + "; duplicates: " + dup + "; commit calls " + commitCalls
          + "; discards " + discardCalls + "; violations " + violations);
    }
    for (int i = 0; i < got.size(); i++) {
      if (got.get(i) != i) {
        throw new AssertionError(
            "published values differ at index " + i + ": " + got.get(i)
                + (i > 0 && got.get(i).equals(got.get(i - 1)) ? " (duplicate)" : " (missing " + i + ")"));
      }
    }
    if (!violations.isEmpty()) {
      throw new AssertionError("sink contract violations: " + violations);
    }
  }

  /** Waits until {@code condition} holds (checked after every publish). */
  public void awaitPublished(Predicate<TestSink> condition, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!condition.test(this)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("condition not reached; published " + published.size());
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private final class Writer implements SinkWriter<Long, Staged> {
    private final SinkContext ctx;
    private long[] buffer = new long[64];
    private int size;
    private long lastPrepared;

    Writer(SinkContext ctx) {
      this.ctx = ctx;
      this.lastPrepared = ctx.restoredCheckpointId();
    }

    @Override
    public void write(Long element) throws InterruptedException {
      onWrite.accept(element);
      if (writeDelayNanos > 0) {
        Thread.sleep(writeDelayNanos / 1_000_000, (int) (writeDelayNanos % 1_000_000));
      }
      if (size == buffer.length) {
        buffer = java.util.Arrays.copyOf(buffer, size * 2);
      }
      buffer[size++] = element;
    }

    @Override
    public List<Staged> prepareCommit(long checkpointId) throws InterruptedException {
      if (checkpointId <= lastPrepared) {
        violations.add("prepareCommit(" + checkpointId + ") after " + lastPrepared);
      }
      lastPrepared = checkpointId;
      if (hangInPrepareCommit.test(checkpointId)) {
        Thread.sleep(Long.MAX_VALUE);
      }
      Staged s =
          new Staged(ctx.subtaskIndex(), checkpointId, java.util.Arrays.copyOf(buffer, size));
      size = 0;
      return List.of(s);
    }

    @Override
    public void close() {
      writersClosed.incrementAndGet();
    }
  }

  /**
   * Checks the committer contract: one commit at a time, each committer in increasing checkpoint
   * order (a restored committer may start below what an earlier one committed: it re-commits what
   * the restored checkpoint holds, and publishing is idempotent by checkpoint id).
   */
  private final class Committer implements GlobalCommitter<Staged> {
    private long lastCommitted = -1;

    @Override
    public void commit(long checkpointId, List<Staged> committables) throws InterruptedException {
      if (!committing.compareAndSet(false, true)) {
        violations.add("concurrent commit of " + checkpointId);
      }
      try {
        commitCalls.merge(checkpointId, 1, Integer::sum);
        synchronized (lock) {
          if (checkpointId <= lastCommitted) {
            violations.add("commit(" + checkpointId + ") after commit(" + lastCommitted + ")");
          }
          lastCommitted = checkpointId;
        }
        for (Staged s : committables) {
          if (s.checkpointId() != checkpointId) {
            violations.add("committable of " + s.checkpointId() + " in commit " + checkpointId);
          }
        }
        beforePublish.accept(checkpointId);
        if (failBeforePublish.remove(checkpointId)) {
          throw new IllegalStateException("injected commit failure before publishing "
              + checkpointId);
        }
        synchronized (lock) {
          if (publishedCheckpoints.add(checkpointId)) {
            for (Staged s : committables) {
              for (long v : s.values()) {
                published.add(v);
              }
            }
          }
          lock.notifyAll();
        }
        if (failAfterPublish.remove(checkpointId)) {
          throw new IllegalStateException("injected commit failure after publishing "
              + checkpointId);
        }
      } finally {
        committing.set(false);
      }
    }

    @Override
    public void discardUncommitted(long lastCompletedCheckpointId) {
      discardCalls.add(lastCompletedCheckpointId);
    }

    @Override
    public void close() {
      committersClosed.incrementAndGet();
    }
  }
}
