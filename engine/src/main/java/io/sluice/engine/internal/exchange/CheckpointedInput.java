package io.sluice.engine.internal.exchange;

/**
 * Reads an {@link InputGate} for one task: batches go to the handler as they come; barriers are
 * aligned ({@link BarrierAligner}) and reported once per checkpoint; end of data is reported once
 * every channel delivered it, end of input once every channel ended.
 */
public final class CheckpointedInput {

  /** What a task does with the input. */
  public interface Handler {
    void onBatch(Batch batch) throws Exception;

    /** All channels delivered barrier {@code checkpointId} (or ended): snapshot and forward it. */
    void onCheckpoint(long checkpointId) throws Exception;

    /** Every channel delivered {@link EndOfData}: no record follows. */
    void onEndOfData() throws Exception;
  }

  private final InputGate gate;
  private final BarrierAligner aligner;
  private final boolean[] endOfData;
  private int endOfDataCount;
  private boolean ended;

  public CheckpointedInput(InputGate gate) {
    this.gate = gate;
    this.aligner = new BarrierAligner(gate.channels());
    this.endOfData = new boolean[gate.channels()];
  }

  /**
   * Handles at most one event, waiting up to {@code timeoutNanos} for one. Returns false if none
   * was available (timeout or wakeup).
   */
  public boolean pollNext(Handler handler, long timeoutNanos) throws Exception {
    if (ended) {
      return false;
    }
    ChannelEvent event = gate.poll(aligner.blocked(), timeoutNanos);
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
    } else if (event == EndOfData.INSTANCE) {
      if (!endOfData[channel]) {
        endOfData[channel] = true;
        if (++endOfDataCount == endOfData.length) {
          handler.onEndOfData();
        }
      }
    } else {
      long aligned = aligner.onEndOfInput(channel);
      if (aligned >= 0) {
        handler.onCheckpoint(aligned);
      }
      ended = aligner.allEnded();
    }
    return true;
  }

  /** Every channel ended: nothing more will come, not even barriers. */
  public boolean isEnded() {
    return ended;
  }

  public BarrierAligner aligner() {
    return aligner;
  }
}
