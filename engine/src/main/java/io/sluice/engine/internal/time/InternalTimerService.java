package io.sluice.engine.internal.time;

import io.sluice.engine.internal.state.KeyGroupRange;
import io.sluice.engine.internal.state.KeyGroupsWriter;
import io.sluice.engine.internal.state.KeyedStateBackend;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.internal.state.SnapshotTarget;
import io.sluice.engine.internal.state.StateMeta;
import io.sluice.engine.internal.state.StatePayloads.PayloadWriter;
import io.sluice.engine.state.Serializer;
import io.sluice.engine.time.TimeDomain;
import io.sluice.engine.time.TimerService;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Keyed timers of one operator subtask, in both time domains, kept on the heap whatever the state
 * backend. Processing-time timers fire through the {@link ProcessingTimeService}; event-time
 * timers when the watermark passes them ({@link #advanceWatermark}). At most one timer per key and
 * time. Timers are keyed state: snapshots write them per key group in the canonical format, and a
 * restore (at any parallelism) keeps those of the owned key groups.
 */
public final class InternalTimerService<K> implements TimerService {

  /** Called for each firing timer, with the backend's current key set to the timer's key. */
  @FunctionalInterface
  public interface Target<K> {
    void onTimer(long time, K key, TimeDomain domain) throws Exception;
  }

  private final KeyedStateBackend<K> keys;
  private final Serializer<K> keySerializer;
  private final ProcessingTimeService processingTime;
  private final Target<K> target;
  private final TimerQueue<K> processing = new TimerQueue<>();
  private final TimerQueue<K> event = new TimerQueue<>();
  private long watermark = Long.MIN_VALUE;
  private ProcessingTimeService.ScheduledCallback wakeup;
  private long wakeupTime = Long.MAX_VALUE;

  public InternalTimerService(
      KeyedStateBackend<K> keys,
      Serializer<K> keySerializer,
      ProcessingTimeService processingTime,
      Target<K> target) {
    this.keys = keys;
    this.keySerializer = keySerializer;
    this.processingTime = processingTime;
    this.target = target;
  }

  @Override
  public long currentProcessingTime() {
    return processingTime.currentProcessingTime();
  }

  @Override
  public long currentWatermark() {
    return watermark;
  }

  @Override
  public void registerProcessingTimeTimer(long time) {
    if (processing.add(currentTimer(time))) {
      scheduleWakeup();
    }
  }

  @Override
  public void registerEventTimeTimer(long time) {
    event.add(currentTimer(time));
  }

  @Override
  public void deleteProcessingTimeTimer(long time) {
    processing.remove(currentTimer(time));
  }

  @Override
  public void deleteEventTimeTimer(long time) {
    event.remove(currentTimer(time));
  }

  /** Raises the watermark and fires the event-time timers it passed. */
  public void advanceWatermark(long newWatermark) throws Exception {
    if (newWatermark <= watermark) {
      return;
    }
    watermark = newWatermark;
    fire(event, newWatermark, TimeDomain.EVENT_TIME);
  }

  public int timerCount() {
    return processing.size() + event.size();
  }

  private void onProcessingTime(long time) throws Exception {
    wakeup = null;
    wakeupTime = Long.MAX_VALUE;
    fire(processing, processingTime.currentProcessingTime(), TimeDomain.PROCESSING_TIME);
    scheduleWakeup();
  }

  private void fire(TimerQueue<K> queue, long upTo, TimeDomain domain) throws Exception {
    Timer<K> next;
    while ((next = queue.pollDue(upTo)) != null) {
      keys.setCurrentKey(next.key);
      target.onTimer(next.time, next.key, domain);
    }
  }

  private void scheduleWakeup() {
    Timer<K> head = processing.peek();
    if (head == null || head.time >= wakeupTime) {
      return;
    }
    if (wakeup != null) {
      wakeup.cancel();
    }
    wakeupTime = head.time;
    wakeup = processingTime.registerTimer(head.time, this::onProcessingTime);
  }

  private Timer<K> currentTimer(long time) {
    return new Timer<>(
        time,
        keys.currentKey(),
        Arrays.copyOf(keys.currentKeyBytes(), keys.currentKeyLength()),
        keys.currentKeyGroup());
  }

  /** Cancels the pending wakeup (the operator closes). */
  public void close() {
    if (wakeup != null) {
      wakeup.cancel();
      wakeup = null;
    }
  }

  // ---- snapshot and restore ----

  /** Copies the timers now; the returned callable writes them (null when there are none). */
  public Callable<KeyedStateHandle> snapshot(SnapshotTarget target, KeyGroupRange range, String hint) {
    if (timerCount() == 0) {
      return null;
    }
    List<Timer<K>> processingTimers = processing.sortedByKeyGroup();
    List<Timer<K>> eventTimers = event.sortedByKeyGroup();
    return () -> {
      SnapshotTarget.StateFile file = target.exclusiveFile(hint);
      List<StateMeta> states = List.of(StateMeta.PROCESSING_TIMERS, StateMeta.EVENT_TIMERS);
      try (KeyGroupsWriter writer =
          new KeyGroupsWriter(file.path(), file.relativePath(), states, range)) {
        int p = 0;
        int e = 0;
        PayloadWriter payload = new PayloadWriter();
        for (int keyGroup = range.start(); keyGroup <= range.end(); keyGroup++) {
          writer.startKeyGroup(keyGroup);
          p = writeKeyGroup(writer, 0, processingTimers, p, keyGroup, payload);
          e = writeKeyGroup(writer, 1, eventTimers, e, keyGroup, payload);
        }
        return writer.finish();
      }
    };
  }

  /** Writes the timers of one key group, one entry per key; returns the next index. */
  private static <K> int writeKeyGroup(
      KeyGroupsWriter writer,
      int state,
      List<Timer<K>> timers,
      int from,
      int keyGroup,
      PayloadWriter payload)
      throws IOException {
    int i = from;
    while (i < timers.size() && timers.get(i).keyGroup == keyGroup) {
      int j = i;
      while (j < timers.size()
          && timers.get(j).keyGroup == keyGroup
          && Arrays.equals(timers.get(j).keyBytes, timers.get(i).keyBytes)) {
        j++;
      }
      payload.reset().writeInt(j - i);
      for (int t = i; t < j; t++) {
        payload.writeLong(timers.get(t).time);
      }
      byte[] key = timers.get(i).keyBytes;
      writer.entry(state, key, key.length, payload.bytes(), payload.length());
      i = j;
    }
    return i;
  }

  /** Restores the timers of a canonical entry of a timer state. */
  public void restoreEntry(int keyGroup, StateMeta state, byte[] key, byte[] payload)
      throws IOException {
    K k = keySerializer.deserialize(new DataInputStream(new ByteArrayInputStream(key)));
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
    int n = in.readInt();
    TimerQueue<K> queue = state.equals(StateMeta.PROCESSING_TIMERS) ? processing : event;
    for (int i = 0; i < n; i++) {
      queue.add(new Timer<>(in.readLong(), k, key, keyGroup));
    }
  }

  /** Starts firing restored processing-time timers (after {@link #restoreEntry}). */
  public void start() {
    scheduleWakeup();
  }

  /** A timer; equal when time and key are. */
  static final class Timer<K> {
    final long time;
    final K key;
    final byte[] keyBytes;
    final int keyGroup;

    Timer(long time, K key, byte[] keyBytes, int keyGroup) {
      this.time = time;
      this.key = key;
      this.keyBytes = keyBytes;
      this.keyGroup = keyGroup;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Timer<?> other && time == other.time && Objects.equals(key, other.key);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(time) * 31 + Objects.hashCode(key);
    }
  }

  /** Timers ordered by time, at most one per key and time. */
  private static final class TimerQueue<K> {
    private final PriorityQueue<Timer<K>> queue =
        new PriorityQueue<>(Comparator.comparingLong(t -> t.time));
    private final Set<Timer<K>> present = new HashSet<>();

    boolean add(Timer<K> timer) {
      if (!present.add(timer)) {
        return false;
      }
      queue.add(timer);
      return true;
    }

    void remove(Timer<K> timer) {
      if (present.remove(timer)) {
        queue.remove(timer);
      }
    }

    Timer<K> peek() {
      return queue.peek();
    }

    Timer<K> pollDue(long upTo) {
      Timer<K> head = queue.peek();
      if (head == null || head.time > upTo) {
        return null;
      }
      queue.poll();
      present.remove(head);
      return head;
    }

    int size() {
      return present.size();
    }

    List<Timer<K>> sortedByKeyGroup() {
      List<Timer<K>> list = new ArrayList<>(present);
      list.sort(
          Comparator.<Timer<K>>comparingInt(t -> t.keyGroup)
              .thenComparing(t -> t.keyBytes, Arrays::compare)
              .thenComparingLong(t -> t.time));
      return list;
    }
  }
}
