package io.sluice.engine.sink;

import java.util.List;

/**
 * The second phase of a {@link TwoPhaseCommitSink}: a single instance per sink (not per subtask)
 * that publishes the committables of one completed checkpoint atomically.
 */
public interface GlobalCommitter<C> extends AutoCloseable {

  /**
   * Publishes all committables of checkpoint {@code checkpointId}, from every writer subtask, as
   * one unit. Called on the engine's committer thread, one call at a time, only after the
   * checkpoint is durable and in increasing checkpoint order. After a restore, a new committer is
   * called again for the restored checkpoint and for earlier ones whose commit was not confirmed
   * when it completed (possibly already published): it must be idempotent (publish nothing
   * twice). Returning normally means published; an exception fails the job, which then restores
   * from the latest completed checkpoint and calls this again.
   */
  void commit(long checkpointId, List<C> committables) throws Exception;

  /**
   * Called once at start, after the restored checkpoint was re-committed and before any writer
   * runs: whatever writers produced for checkpoints after {@code lastCompletedCheckpointId} will
   * never be committed and may be discarded. The id is -1 on a fresh start.
   */
  default void discardUncommitted(long lastCompletedCheckpointId) throws Exception {}

  @Override
  default void close() throws Exception {}
}
