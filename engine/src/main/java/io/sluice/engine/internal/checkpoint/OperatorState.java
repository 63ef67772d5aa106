package io.sluice.engine.internal.checkpoint;

import io.sluice.engine.internal.graph.StreamNode;
import java.util.List;

/**
 * An operator's state in a checkpoint: per subtask of the parallelism it ran at, plus state of its
 * coordinator (for a sink: the commits of earlier checkpoints not yet confirmed, {@link
 * PendingCommits}).
 */
public record OperatorState(
    String operatorId,
    StreamNode.Kind kind,
    byte[] coordinatorState,
    List<OperatorSubtaskState> subtasks) {

  public OperatorState {
    subtasks = List.copyOf(subtasks);
  }

  public int parallelism() {
    return subtasks.size();
  }

  public boolean hasKeyedState() {
    return subtasks.stream().anyMatch(s -> !s.keyedState().isEmpty());
  }

  public boolean isEmpty() {
    return coordinatorState == null && subtasks.stream().allMatch(OperatorSubtaskState::isEmpty);
  }
}
