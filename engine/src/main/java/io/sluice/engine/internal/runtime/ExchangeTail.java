package io.sluice.engine.internal.runtime;

import io.sluice.engine.internal.Sneaky;
import io.sluice.engine.internal.exchange.Barrier;
import io.sluice.engine.internal.exchange.EndOfInput;
import io.sluice.engine.internal.exchange.RebalanceOutput;
import java.util.List;

/** A round-robin exchange at the end of a chain. */
public final class ExchangeTail implements ChainTail {
  /** A partial batch leaves after this long even if the input keeps trickling. */
  static final long MAX_BATCH_DELAY_NANOS = 20_000_000L;

  private final RebalanceOutput output;

  public ExchangeTail(RebalanceOutput output) {
    this.output = output;
  }

  @Override
  public void collect(Object record) {
    try {
      output.emit(record);
    } catch (InterruptedException e) {
      throw Sneaky.raise(e);
    }
  }

  @Override
  public void flush() throws Exception {
    output.flush();
  }

  @Override
  public void flushIfOlder(long nowNanos) throws Exception {
    output.flushIfOlder(nowNanos, MAX_BATCH_DELAY_NANOS);
  }

  @Override
  public List<byte[]> checkpoint(long checkpointId) throws Exception {
    output.broadcast(new Barrier(checkpointId));
    return null;
  }

  @Override
  public long takeRecordCount() {
    return 0;
  }

  @Override
  public void endInput() throws Exception {
    output.broadcast(EndOfInput.INSTANCE);
  }

  @Override
  public void close() {}
}
