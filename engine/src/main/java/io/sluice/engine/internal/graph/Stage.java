package io.sluice.engine.internal.graph;

import io.sluice.engine.source.Source;
import java.util.List;

/**
 * One stage of a validated job graph: an input (a source, or an exchange from {@code
 * upstreamStage}), chained operators, and a terminal.
 *
 * @param source the source, or null for a stage fed by an exchange
 * @param upstreamStage the stage feeding the exchange, or -1 for a source stage
 */
public record Stage(
    int id,
    String name,
    int parallelism,
    Source<Object> source,
    int upstreamStage,
    List<OperatorSpec> operators,
    TerminalSpec terminal) {

  public boolean isSource() {
    return source != null;
  }
}
