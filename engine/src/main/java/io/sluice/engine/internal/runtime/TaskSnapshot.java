package io.sluice.engine.internal.runtime;

import io.sluice.engine.internal.checkpoint.OperatorSubtaskState;
import java.util.Map;

/** What a task acknowledges for a checkpoint: the state of each of its operators, by id. */
public record TaskSnapshot(Map<String, OperatorSubtaskState> operators) {
  public TaskSnapshot {
    operators = Map.copyOf(operators);
  }
}
