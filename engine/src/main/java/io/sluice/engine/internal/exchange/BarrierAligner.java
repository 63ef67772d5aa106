package io.sluice.engine.internal.exchange;

import java.util.Arrays;

/**
 * Aligns checkpoint barriers over the channels of one input gate. Once a channel delivered barrier
 * N it is blocked (not read) until every channel delivered N or ended; then the checkpoint is
 * aligned: everything read so far is exactly the pre-barrier data of all channels.
 */
public final class BarrierAligner {
  private final boolean[] blocked;
  private final boolean[] ended;
  private int endedCount;
  private int barriersReceived;
  private long pendingCheckpoint = -1;

  public BarrierAligner(int channels) {
    this.blocked = new boolean[channels];
    this.ended = new boolean[channels];
  }

  /** Channels that must not be read now; the array is live (shared with the gate's poll). */
  public boolean[] blocked() {
    return blocked;
  }

  /** Returns the checkpoint id that is now aligned, or -1 if still waiting for other channels. */
  public long onBarrier(int channel, long checkpointId) {
    if (barriersReceived == 0) {
      pendingCheckpoint = checkpointId;
    } else if (checkpointId != pendingCheckpoint) {
      throw new IllegalStateException(
          "barrier " + checkpointId + " on channel " + channel + " while aligning checkpoint "
              + pendingCheckpoint);
    }
    blocked[channel] = true;
    barriersReceived++;
    return maybeAligned();
  }

  /** A channel ended; returns a checkpoint id that is now aligned because of it, or -1. */
  public long onEndOfInput(int channel) {
    if (!ended[channel]) {
      ended[channel] = true;
      blocked[channel] = true;
      endedCount++;
    }
    return barriersReceived > 0 ? maybeAligned() : -1;
  }

  public boolean allEnded() {
    return endedCount == blocked.length;
  }

  public boolean isAligning() {
    return barriersReceived > 0;
  }

  private long maybeAligned() {
    if (barriersReceived + endedCount < blocked.length) {
      return -1;
    }
    long id = pendingCheckpoint;
    barriersReceived = 0;
    pendingCheckpoint = -1;
    System.arraycopy(ended, 0, blocked, 0, blocked.length);
    return id;
  }

  @Override
  public String toString() {
    return "BarrierAligner{pending=" + pendingCheckpoint + ", blocked=" + Arrays.toString(blocked)
        + "}";
  }
}
