package io.sluice.engine;

import io.sluice.engine.function.FilterFunction;
import io.sluice.engine.function.FlatMapFunction;
import io.sluice.engine.function.MapFunction;
import io.sluice.engine.internal.graph.GraphBuilder;
import io.sluice.engine.internal.graph.OperatorSpec;
import io.sluice.engine.internal.graph.StageBuilder;
import io.sluice.engine.sink.TwoPhaseCommitSink;
import java.util.Objects;

/**
 * A stream of records of type {@code T}. Operators are chained into the current stage and run in
 * its task threads without any hand-over; {@link #rebalance} starts a new stage behind an
 * exchange. A stream is linear: each stream can be continued once (no branching).
 */
public final class DataStream<T> {
  private final GraphBuilder graph;
  private final StageBuilder stage;
  private final int position;

  DataStream(GraphBuilder graph, StageBuilder stage) {
    this.graph = graph;
    this.stage = stage;
    this.position = stage.operatorCount();
  }

  /** Transforms every record; chained into the current stage. */
  @SuppressWarnings("unchecked")
  public <R> DataStream<R> map(MapFunction<T, R> fn) {
    Objects.requireNonNull(fn, "fn");
    stage.addOperator(position, new OperatorSpec.Map((MapFunction<Object, Object>) fn));
    return new DataStream<>(graph, stage);
  }

  /** Keeps the records for which {@code fn} returns true; chained into the current stage. */
  @SuppressWarnings("unchecked")
  public DataStream<T> filter(FilterFunction<T> fn) {
    Objects.requireNonNull(fn, "fn");
    stage.addOperator(position, new OperatorSpec.Filter((FilterFunction<Object>) fn));
    return new DataStream<>(graph, stage);
  }

  /** Emits zero or more records per record; chained into the current stage. */
  @SuppressWarnings("unchecked")
  public <R> DataStream<R> flatMap(FlatMapFunction<T, R> fn) {
    Objects.requireNonNull(fn, "fn");
    stage.addOperator(position, new OperatorSpec.FlatMap((FlatMapFunction<Object, Object>) fn));
    return new DataStream<>(graph, stage);
  }

  /**
   * Distributes the records round-robin (batch by batch) over a new stage of {@code parallelism}
   * subtasks, through bounded exchanges.
   */
  public DataStream<T> rebalance(int parallelism) {
    StageBuilder next = graph.addExchangeStage(stage, position, parallelism);
    return new DataStream<>(graph, next);
  }

  /**
   * Ends the stream in an exactly-once sink, in the current stage. {@code name} identifies the
   * sink's committables in checkpoints: keep it stable across restarts, unique within the job.
   */
  public <C> void sinkTo(TwoPhaseCommitSink<T, C> sink, String name) {
    graph.setSink(stage, position, sink, name);
  }
}
