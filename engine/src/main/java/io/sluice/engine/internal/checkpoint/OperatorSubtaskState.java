package io.sluice.engine.internal.checkpoint;

import io.sluice.engine.internal.state.KeyedStateHandle;
import java.util.List;

/**
 * One subtask's state of one operator in a checkpoint.
 *
 * @param operatorState inline operator state (a source reader's position, a sink writer's
 *     committables), or null
 * @param keyedState handles of its keyed state (and timers), each covering the subtask's key
 *     groups
 */
public record OperatorSubtaskState(byte[] operatorState, List<KeyedStateHandle> keyedState) {
  public static final OperatorSubtaskState EMPTY = new OperatorSubtaskState(null, List.of());

  public OperatorSubtaskState {
    keyedState = List.copyOf(keyedState);
  }

  public boolean isEmpty() {
    return operatorState == null && keyedState.isEmpty();
  }
}
