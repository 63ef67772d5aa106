package io.sluice.engine.internal.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BarrierAlignmentTest {

  /** Records what the task would process and what each checkpoint's snapshot would contain. */
  static final class Recorder implements CheckpointedInput.Handler {
    final List<Object> processed = new ArrayList<>();
    final Map<Long, List<Object>> snapshots = new LinkedHashMap<>();
    int endOfData;

    @Override
    public void onBatch(Batch batch) {
      for (int i = 0; i < batch.size(); i++) {
        processed.add(batch.records()[i]);
      }
    }

    @Override
    public void onCheckpoint(long checkpointId) {
      snapshots.put(checkpointId, List.copyOf(processed));
    }

    @Override
    public void onEndOfData() {
      endOfData++;
    }
  }

  private static Batch batch(Object... records) {
    return new Batch(records, records.length);
  }

  private static void drain(CheckpointedInput input, Recorder r) throws Exception {
    while (input.pollNext(r, 0)) {
      // handle everything available now
    }
  }

  @Test
  void recordsBehindABarrierWaitUntilAllChannelsDeliveredIt() throws Exception {
    InputGate gate = new InputGate(2, 16);
    CheckpointedInput input = new CheckpointedInput(gate);
    Recorder r = new Recorder();

    gate.put(0, batch("a1", "a2"));
    gate.put(0, new Barrier(1));
    gate.put(0, batch("a3")); // after barrier 1 on channel 0
    gate.put(1, batch("b1"));
    drain(input, r);

    // Channel 0 is blocked after its barrier: a3 is not processed, no snapshot yet.
    assertEquals(List.of("a1", "a2", "b1"), r.processed);
    assertTrue(r.snapshots.isEmpty());
    assertTrue(input.aligner().isAligning());

    gate.put(1, batch("b2"));
    gate.put(1, new Barrier(1));
    gate.put(1, batch("b3"));
    drain(input, r);

    // The snapshot holds exactly the pre-barrier records of both channels.
    assertEquals(List.of("a1", "a2", "b1", "b2"), r.snapshots.get(1L));
    assertEquals(6, r.processed.size());
    assertTrue(r.processed.containsAll(List.of("a3", "b3")));
    assertFalse(input.aligner().isAligning());
  }

  @Test
  void endOfInputOnTheOtherChannelCompletesAlignment() throws Exception {
    InputGate gate = new InputGate(2, 16);
    CheckpointedInput input = new CheckpointedInput(gate);
    Recorder r = new Recorder();
    gate.put(0, batch(1));
    gate.put(0, new Barrier(7));
    gate.put(0, batch(2));
    drain(input, r);
    assertTrue(r.snapshots.isEmpty());
    gate.put(1, batch(3));
    gate.put(1, EndOfPartition.INSTANCE);
    drain(input, r);
    assertEquals(List.of(1, 3), r.snapshots.get(7L));
    assertEquals(List.of(1, 3, 2), r.processed);
    assertFalse(input.isEnded());
    gate.put(0, EndOfPartition.INSTANCE);
    drain(input, r);
    assertTrue(input.isEnded());
  }

  /**
   * End of data is reported once, when the last channel delivered it; the final checkpoint's
   * barriers that follow it are still aligned, and the input ends with the channels.
   */
  @Test
  void endOfDataOnEveryChannelPrecedesTheFinalCheckpoint() throws Exception {
    InputGate gate = new InputGate(2, 16);
    CheckpointedInput input = new CheckpointedInput(gate);
    Recorder r = new Recorder();
    gate.put(0, batch("a"));
    gate.put(0, EndOfData.INSTANCE);
    gate.put(0, new Barrier(5));
    gate.put(1, batch("b"));
    drain(input, r);
    assertEquals(0, r.endOfData);
    assertTrue(r.snapshots.isEmpty());
    gate.put(1, EndOfData.INSTANCE);
    gate.put(1, new Barrier(5));
    drain(input, r);
    assertEquals(1, r.endOfData);
    assertEquals(List.of("a", "b"), r.snapshots.get(5L));
    gate.put(0, EndOfPartition.INSTANCE);
    gate.put(1, EndOfPartition.INSTANCE);
    drain(input, r);
    assertTrue(input.isEnded());
    assertEquals(1, r.endOfData);
  }

  /** Concurrent producers: every snapshot j holds exactly the first j*step records per channel. */
  @Test
  void concurrentProducersSnapshotsAreExactlyThePreBarrierRecords() throws Exception {
    final int channels = 3;
    final int step = 250;
    final int checkpoints = 40;
    InputGate gate = new InputGate(channels, 2);
    AtomicReference<Throwable> error = new AtomicReference<>();
    List<Thread> producers = new ArrayList<>();
    for (int c = 0; c < channels; c++) {
      final int ch = c;
      Thread t =
          new Thread(
              () -> {
                try {
                  RoundRobinOutput out = new RoundRobinOutput(new InputGate[] {gate}, ch, 7, 0);
                  long k = 0;
                  for (int j = 1; j <= checkpoints; j++) {
                    for (int i = 0; i < step; i++) {
                      out.emit(new long[] {ch, k++});
                    }
                    out.broadcast(new Barrier(j));
                  }
                  for (int i = 0; i < step; i++) {
                    out.emit(new long[] {ch, k++});
                  }
                  out.broadcast(EndOfPartition.INSTANCE);
                } catch (Throwable e) {
                  error.set(e);
                }
              });
      t.start();
      producers.add(t);
    }
    CheckpointedInput input = new CheckpointedInput(gate);
    long[] perChannel = new long[channels];
    List<String> problems = new ArrayList<>();
    int[] snapshotsTaken = {0};
    CheckpointedInput.Handler handler =
        new CheckpointedInput.Handler() {
          @Override
          public void onBatch(Batch batch) {
            for (int i = 0; i < batch.size(); i++) {
              long[] rec = (long[]) batch.records()[i];
              int ch = (int) rec[0];
              if (rec[1] != perChannel[ch]) {
                problems.add("channel " + ch + " out of order at " + rec[1]);
              }
              perChannel[ch]++;
            }
          }

          @Override
          public void onCheckpoint(long id) {
            snapshotsTaken[0]++;
            for (int ch = 0; ch < channels; ch++) {
              if (perChannel[ch] != id * step) {
                problems.add("snapshot " + id + " has " + perChannel[ch] + " of channel " + ch);
              }
            }
          }

          @Override
          public void onEndOfData() {}
        };
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!input.isEnded() && System.nanoTime() < deadline) {
      input.pollNext(handler, TimeUnit.MILLISECONDS.toNanos(50));
    }
    for (Thread t : producers) {
      t.join(5000);
    }
    assertEquals(null, error.get());
    assertTrue(input.isEnded());
    assertEquals(List.of(), problems);
    assertEquals(checkpoints, snapshotsTaken[0]);
    for (int ch = 0; ch < channels; ch++) {
      assertEquals((checkpoints + 1L) * step, perChannel[ch]);
    }
  }

  @Test
  void aFullChannelBlocksItsProducer() throws Exception {
    InputGate gate = new InputGate(1, 2);
    gate.put(0, batch(1));
    gate.put(0, batch(2));
    Thread producer =
        new Thread(
            () -> {
              try {
                gate.put(0, batch(3));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    producer.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (producer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(Thread.State.WAITING, producer.getState());
    assertEquals(2, gate.queued(0));
    boolean[] none = new boolean[1];
    assertEquals(1, ((Batch) gate.poll(none, 0)).records()[0]);
    producer.join(5000);
    assertFalse(producer.isAlive());
    assertEquals(2, gate.queued(0));
  }

  @Test
  void wakeupReturnsAWaitingPoll() throws Exception {
    InputGate gate = new InputGate(1, 2);
    Thread waker =
        new Thread(
            () -> {
              gate.wakeup();
            });
    waker.start();
    // Returns null (woken or, worst case, timed out) without an event.
    assertEquals(null, gate.poll(new boolean[1], TimeUnit.SECONDS.toNanos(10)));
    waker.join();
  }
}
