package io.sluice.engine.internal.graph;

import java.util.List;

/** An immutable, validated job graph; stages are in creation order (upstream before downstream). */
public record JobGraph(List<Stage> stages, List<TerminalSpec.Sink> sinks) {

  public JobGraph {
    stages = List.copyOf(stages);
    sinks = List.copyOf(sinks);
  }

  public Stage stage(int id) {
    return stages.get(id);
  }
}
