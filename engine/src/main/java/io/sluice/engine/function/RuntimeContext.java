package io.sluice.engine.function;

/** Where a function instance runs. */
public interface RuntimeContext {
  String pipelineId();

  /** The stable id of the operator, under which its state is checkpointed. */
  String operatorId();

  int subtaskIndex();

  int parallelism();
}
