package io.sluice.engine;

import io.sluice.engine.internal.graph.StreamGraph;
import io.sluice.engine.internal.graph.StreamNode;

/** A declared sink; pins its id in checkpoints with {@link #uid}. */
public final class DataStreamSink {
  private final StreamGraph graph;
  private final StreamNode node;

  DataStreamSink(StreamGraph graph, StreamNode node) {
    this.graph = graph;
    this.node = node;
  }

  /** The sink's id in checkpoints, instead of its name. */
  public DataStreamSink uid(String uid) {
    graph.setUid(node, uid);
    return this;
  }
}
