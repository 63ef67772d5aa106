package io.sluice.engine.sink;

import java.util.List;

/**
 * The first phase of a {@link TwoPhaseCommitSink}: one per sink subtask, driven by one task thread.
 */
public interface SinkWriter<T, C> extends AutoCloseable {

  void write(T element) throws Exception;

  /**
   * Called when barrier {@code checkpointId} reaches the writer: make everything written since the
   * previous call durable but invisible, and describe it as committables. The engine stores them
   * in checkpoint {@code checkpointId} and hands them to the {@link GlobalCommitter} once that
   * checkpoint is complete.
   */
  List<C> prepareCommit(long checkpointId) throws Exception;

  /** Releases resources; data not yet returned from {@link #prepareCommit} is abandoned. */
  @Override
  default void close() throws Exception {}
}
