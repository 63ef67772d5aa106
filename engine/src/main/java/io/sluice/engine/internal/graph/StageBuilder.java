package io.sluice.engine.internal.graph;

import io.sluice.engine.source.Source;
import java.util.ArrayList;
import java.util.List;

/** A stage while the job is being declared. */
public final class StageBuilder {
  final int id;
  final String name;
  final int parallelism;
  final Source<Object> source;
  final int upstreamStage;
  final List<OperatorSpec> operators = new ArrayList<>();
  TerminalSpec terminal;

  StageBuilder(int id, String name, int parallelism, Source<Object> source, int upstreamStage) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism of " + name + " must be at least 1");
    }
    this.id = id;
    this.name = name;
    this.parallelism = parallelism;
    this.source = source;
    this.upstreamStage = upstreamStage;
  }

  public int operatorCount() {
    return operators.size();
  }

  /** Appends an operator to the stream that ends at {@code position}. */
  public synchronized void addOperator(int position, OperatorSpec op) {
    checkTip(position);
    operators.add(op);
  }

  synchronized void checkTip(int position) {
    if (terminal != null) {
      throw new IllegalStateException(
          "stream of stage '" + name + "' already ends in "
              + (terminal instanceof TerminalSpec.Sink s ? "sink '" + s.name() + "'" : "a rebalance")
              + "; branching a stream is not supported");
    }
    if (position != operators.size()) {
      throw new IllegalStateException(
          "stream of stage '" + name + "' was already continued; branching is not supported");
    }
  }

  Stage build() {
    if (terminal == null) {
      throw new IllegalStateException(
          "stream of stage '" + name + "' has no sink: end it with sinkTo(...)");
    }
    return new Stage(id, name, parallelism, source, upstreamStage, List.copyOf(operators), terminal);
  }
}
