package io.sluice.engine.internal.operators;

import io.sluice.engine.internal.state.SnapshotTarget;

/**
 * An operator of a chain, driven by its task thread. Lifecycle: {@link #setup}, {@link
 * #initializeState} (restored or fresh), {@link #open}, then records and checkpoints, {@link
 * #endInput} when the input ended (bounded jobs), {@link #close}.
 *
 * <p>A checkpoint reaches the chain's operators in order (parents first): {@link
 * #prepareSnapshotPreBarrier} may still emit records, which precede the barrier; after the
 * barrier was forwarded, {@link #snapshotState} takes the operator's state and must not emit.
 */
public interface StreamOperator {

  void setup(OperatorContext context);

  void initializeState(OperatorRestore restore) throws Exception;

  void open() throws Exception;

  void processElement(Object record) throws Exception;

  /** No record will follow; the operator may emit what it still holds. */
  default void endInput() throws Exception {}

  default void prepareSnapshotPreBarrier(long checkpointId) throws Exception {}

  /** The state of this operator for checkpoint {@code target.checkpointId()}. */
  default OperatorSnapshot snapshotState(SnapshotTarget target) throws Exception {
    return OperatorSnapshot.EMPTY;
  }

  /** Checkpoint {@code checkpointId} is durable. */
  default void notifyCheckpointComplete(long checkpointId) throws Exception {}

  /** Checkpoint {@code checkpointId} is durable and every sink committed it. */
  default void notifyCheckpointCommitted(long checkpointId) throws Exception {}

  /** Releases resources; called once, also after a failure or a cancel. */
  void close() throws Exception;
}
