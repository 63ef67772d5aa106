package io.sluice.engine.internal.exchange;

/**
 * Reads an {@link InputGate} with barrier alignment and hands events to a {@link Handler}:
 * batches of records, aligned checkpoints, and the end of all input.
 */
public final class CheckpointedInput {

  /** What a task does with the input. */
  public interface Handler {
    void onBatch(Batch batch) throws Exception;

    /** All channels delivered barrier {@code checkpointId} (or ended): snapshot and forward it. */
    void onCheckpoint(long checkpointId) throws Exception;

    /** Every channel ended. */
    void onEndOfInput() throws Exception;
  }

  private final InputGate gate;
  private final BarrierAligner aligner;
  private boolean ended;

  public CheckpointedInput(InputGate gate) {
    this.gate = gate;
    this.aligner = new BarrierAligner(gate.channels());
  }

  /**
   * Handles at most one event, waiting up to {@code timeoutNanos} for one. Returns false if none
   * was available (timeout or wakeup).
   */
  public boolean pollNext(Handler handler, long timeoutNanos) throws Exception {
    if (ended) {
      return false;
    }
    Object event = gate.poll(aligner.blocked(), timeoutNanos);
    if (event == null) {
      return false;
    }
    int channel = gate.lastChannel();
    if (event instanceof Batch batch) {
      handler.onBatch(batch);
    } else if (event instanceof Barrier barrier) {
      long aligned = aligner.onBarrier(channel, barrier.checkpointId());
      if (aligned >= 0) {
        handler.onCheckpoint(aligned);
      }
    } else if (event == EndOfInput.INSTANCE) {
      long aligned = aligner.onEndOfInput(channel);
      if (aligned >= 0) {
        handler.onCheckpoint(aligned);
      }
      if (aligner.allEnded()) {
        ended = true;
        handler.onEndOfInput();
      }
    } else {
      throw new IllegalStateException("unknown exchange event " + event);
    }
    return true;
  }

  public boolean isEnded() {
    return ended;
  }

  public BarrierAligner aligner() {
    return aligner;
  }
}
