package io.sluice.engine;

import io.sluice.engine.function.KeySelector;
import io.sluice.engine.function.KeyedProcessFunction;
import io.sluice.engine.internal.graph.StreamEdge;
import io.sluice.engine.internal.graph.StreamGraph;
import io.sluice.engine.internal.graph.StreamNode;
import io.sluice.engine.internal.operators.KeyedProcessOperator;
import io.sluice.engine.state.Serializer;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A stream partitioned by key ({@link DataStream#keyBy}): the next operator sees every record of a
 * key in one subtask and may keep state and timers per key.
 */
public final class KeyedStream<T, K> {
  private final StreamGraph graph;
  private final List<StreamEdge> inputs;
  private final int parallelism;
  private final KeySelector<T, K> key;
  private final Serializer<K> keySerializer;

  KeyedStream(
      StreamGraph graph,
      List<StreamEdge> inputs,
      int parallelism,
      KeySelector<T, K> key,
      Serializer<K> keySerializer) {
    this.graph = graph;
    this.inputs = inputs;
    this.parallelism = parallelism;
    this.key = key;
    this.keySerializer = keySerializer;
  }

  /**
   * Runs a {@link KeyedProcessFunction} with keyed state and timers. {@code function} makes one
   * instance per subtask. Give the result a {@link DataStream#uid}: its state is restored by it.
   */
  public <R> DataStream<R> process(Supplier<? extends KeyedProcessFunction<K, T, R>> function) {
    Objects.requireNonNull(function, "function");
    StreamNode node =
        graph.addOperator(
            StreamNode.Kind.KEYED,
            "process",
            parallelism,
            () -> new KeyedProcessOperator<>(key, keySerializer, function),
            inputs);
    return DataStream.of(graph, node);
  }
}
