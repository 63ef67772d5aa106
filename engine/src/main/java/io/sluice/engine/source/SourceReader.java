package io.sluice.engine.source;

import java.util.List;

/**
 * One parallel instance of a {@link Source}, driven by a single task thread: the engine never calls
 * it concurrently, and a checkpoint snapshot is taken between two {@link #pollNext} calls, so the
 * snapshot covers exactly the records emitted before it.
 */
public interface SourceReader<T> extends AutoCloseable {

  /**
   * Opens the reader.
   *
   * @param restoredStates the states every reader of the restored checkpoint returned from {@link
   *     #snapshotState}, or an empty list on a fresh start
   */
  void open(List<byte[]> restoredStates) throws Exception;

  /**
   * Emits the records available now into {@code output}, and to side outputs with {@link
   * Output#collect(io.sluice.engine.OutputTag, Object)} (the source's stream gives them with {@code
   * sideOutput}); a snapshot covers both. It may block briefly (tens of milliseconds) waiting for
   * input, never longer, because checkpoints wait for it to return.
   */
  InputStatus pollNext(Output<T> output) throws Exception;

  /** The reader's position after the last record it emitted. */
  byte[] snapshotState(long checkpointId) throws Exception;

  /** Checkpoint {@code checkpointId} is durable and its commit done (e.g. to report progress). */
  default void notifyCheckpointComplete(long checkpointId) throws Exception {}

  @Override
  default void close() throws Exception {}
}
