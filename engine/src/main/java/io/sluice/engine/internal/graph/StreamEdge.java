package io.sluice.engine.internal.graph;

import io.sluice.engine.OutputTag;

/**
 * An input of a node: the records of {@code source}'s main output ({@code tag == null}) or of one
 * of its side outputs, distributed by {@code partitioning}.
 */
public record StreamEdge(int source, OutputTag<?> tag, Partitioning partitioning) {
  public StreamEdge withPartitioning(Partitioning p) {
    return new StreamEdge(source, tag, p);
  }
}
