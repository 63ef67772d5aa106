package io.sluice.testing;

import io.sluice.engine.OutputTag;
import io.sluice.engine.source.InputStatus;
import io.sluice.engine.source.Output;
import io.sluice.engine.source.Source;
import io.sluice.engine.source.SourceContext;
import io.sluice.engine.source.SourceReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

/**
 * A deterministic bounded source of the longs {@code 0..n-1}, split like Kafka partitions: split
 * {@code s} holds the values {@code v} with {@code v % splits == s} in ascending order, and reader
 * {@code i} of {@code p} owns the splits {@code s % p == i}. State: (split, next index) per owned
 * split. On restore a reader takes its splits' positions from the union of all states, so the
 * parallelism may change.
 */
public final class SplitSource implements Source<Long> {
  private final long n;
  private final int splits;
  private int recordsPerPoll = 1000;
  private boolean idleBetweenPolls;
  private OutputTag<Long> sideOutput;
  private LongPredicate toSideOutput = v -> false;
  /** Only values below this are emitted (a gate for tests); Long.MAX_VALUE = no gate. */
  public final AtomicLong limit = new AtomicLong(Long.MAX_VALUE);
  /** Records handed to the output so far (counted before each collect). */
  public final AtomicLong emitted = new AtomicLong();
  /** Per reader opened: how many restored states it got. */
  public final List<Integer> restoredStateCounts = new CopyOnWriteArrayList<>();
  public final AtomicInteger readersClosed = new AtomicInteger();
  public final AtomicInteger completeNotifications = new AtomicInteger();

  public SplitSource(long n, int splits) {
    this.n = n;
    this.splits = splits;
  }

  /** Records emitted per pollNext at most. */
  public SplitSource recordsPerPoll(int r) {
    this.recordsPerPoll = r;
    return this;
  }

  /** Alternate data polls with NOTHING_AVAILABLE polls (the task idles ~1 ms): slows the source. */
  public SplitSource idleBetweenPolls(boolean idle) {
    this.idleBetweenPolls = idle;
    return this;
  }

  /** Emits the values {@code which} accepts to the side output {@code tag} instead. */
  public SplitSource sideOutput(OutputTag<Long> tag, LongPredicate which) {
    this.sideOutput = tag;
    this.toSideOutput = which;
    return this;
  }

  @Override
  public SourceReader<Long> createReader(SourceContext context) {
    return new Reader(context);
  }

  private final class Reader implements SourceReader<Long> {
    private final SourceContext ctx;
    private final List<Integer> owned = new ArrayList<>();
    private long[] next;
    private int cursor;
    private boolean idleNext;

    Reader(SourceContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void open(List<byte[]> restoredStates) throws IOException {
      restoredStateCounts.add(restoredStates.size());
      Map<Integer, Long> positions = new HashMap<>();
      for (byte[] state : restoredStates) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
          int split = in.readInt();
          long pos = in.readLong();
          if (positions.put(split, pos) != null) {
            throw new IllegalStateException("split " + split + " in two states");
          }
        }
      }
      for (int s = 0; s < splits; s++) {
        if (s % ctx.parallelism() == ctx.subtaskIndex()) {
          owned.add(s);
        }
      }
      next = new long[owned.size()];
      for (int i = 0; i < owned.size(); i++) {
        next[i] = positions.getOrDefault(owned.get(i), 0L);
      }
    }

    private long value(int i) {
      return owned.get(i) + next[i] * splits;
    }

    @Override
    public InputStatus pollNext(Output<Long> output) {
      if (idleBetweenPolls && (idleNext = !idleNext)) {
        return InputStatus.NOTHING_AVAILABLE;
      }
      long lim = Math.min(limit.get(), n);
      int emittedNow = 0;
      int exhausted = 0;
      int blocked = 0;
      while (emittedNow < recordsPerPoll && exhausted + blocked < owned.size()) {
        exhausted = 0;
        blocked = 0;
        for (int i = 0; i < owned.size() && emittedNow < recordsPerPoll; i++) {
          int idx = (cursor + i) % owned.size();
          long v = value(idx);
          if (v >= n) {
            exhausted++;
          } else if (v >= lim) {
            blocked++;
          } else {
            emitted.incrementAndGet();
            if (toSideOutput.test(v)) {
              output.collect(sideOutput, v);
            } else {
              output.collect(v);
            }
            next[idx]++;
            emittedNow++;
          }
        }
        cursor++;
      }
      boolean done = true;
      for (int i = 0; i < owned.size(); i++) {
        if (value(i) < n) {
          done = false;
        }
      }
      if (done) {
        return InputStatus.END_OF_INPUT;
      }
      return emittedNow > 0 ? InputStatus.MORE_AVAILABLE : InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public byte[] snapshotState(long checkpointId) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(owned.size());
      for (int i = 0; i < owned.size(); i++) {
        out.writeInt(owned.get(i));
        out.writeLong(next[i]);
      }
      out.flush();
      return bytes.toByteArray();
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      completeNotifications.incrementAndGet();
    }

    @Override
    public void close() {
      readersClosed.incrementAndGet();
    }
  }
}
