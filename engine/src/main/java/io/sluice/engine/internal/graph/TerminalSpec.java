package io.sluice.engine.internal.graph;

import io.sluice.engine.sink.TwoPhaseCommitSink;

/** How a stage's chain ends. */
public sealed interface TerminalSpec {
  /** A sink writer per subtask; {@code sinkIndex} orders the job's sinks. */
  record Sink(TwoPhaseCommitSink<Object, Object> sink, String name, int sinkIndex)
      implements TerminalSpec {}

  /** A round-robin exchange into stage {@code downstreamStage}. */
  record Rebalance(int downstreamStage) implements TerminalSpec {}
}
