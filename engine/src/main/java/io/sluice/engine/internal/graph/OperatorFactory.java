package io.sluice.engine.internal.graph;

import io.sluice.engine.internal.operators.StreamOperator;

/** Creates a node's operator anew for each subtask and each (re)start. */
@FunctionalInterface
public interface OperatorFactory {
  StreamOperator create() throws Exception;
}
