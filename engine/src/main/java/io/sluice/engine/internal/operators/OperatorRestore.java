package io.sluice.engine.internal.operators;

import io.sluice.engine.internal.state.KeyedStateHandle;
import java.nio.file.Path;
import java.util.List;

/**
 * The state an operator instance starts from.
 *
 * @param checkpointId the checkpoint restored, or -1 on a fresh start
 * @param operatorStates operator state to restore: for a source, the reader states of all
 *     subtasks of the restored checkpoint (union); empty for other kinds
 * @param keyedState the keyed state handles covering this subtask's key groups
 * @param stateRoot the directory the handles' paths are relative to
 */
public record OperatorRestore(
    long checkpointId, List<byte[]> operatorStates, List<KeyedStateHandle> keyedState, Path stateRoot) {

  public static OperatorRestore fresh() {
    return new OperatorRestore(-1, List.of(), List.of(), null);
  }

  public boolean isRestored() {
    return checkpointId >= 0;
  }
}
