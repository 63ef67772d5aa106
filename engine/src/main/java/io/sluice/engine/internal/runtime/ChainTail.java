package io.sluice.engine.internal.runtime;

import io.sluice.engine.source.Output;
import java.util.List;

/** The end of a task's operator chain: a sink writer or an exchange output. */
public interface ChainTail extends Output<Object> {

  /** Sends buffered records on (exchange); no-op for a sink. */
  void flush() throws Exception;

  /** Flushes a partial batch that waited too long (exchange); no-op for a sink. */
  void flushIfOlder(long nowNanos) throws Exception;

  /**
   * Takes this task's part of checkpoint {@code checkpointId}: a sink prepares its commit and
   * returns the serialized committables; an exchange forwards the barrier and returns null.
   */
  List<byte[]> checkpoint(long checkpointId) throws Exception;

  /** Records written since the previous call (sink), 0 for an exchange. */
  long takeRecordCount();

  /** All input ended (after the final checkpoint): an exchange forwards end of input. */
  void endInput() throws Exception;

  void close() throws Exception;
}
