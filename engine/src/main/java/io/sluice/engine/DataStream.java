package io.sluice.engine;

import io.sluice.engine.function.FilterFunction;
import io.sluice.engine.function.FlatMapFunction;
import io.sluice.engine.function.KeySelector;
import io.sluice.engine.function.MapFunction;
import io.sluice.engine.function.ProcessFunction;
import io.sluice.engine.internal.graph.OperatorFactory;
import io.sluice.engine.internal.graph.Partitioning;
import io.sluice.engine.internal.graph.StreamEdge;
import io.sluice.engine.internal.graph.StreamGraph;
import io.sluice.engine.internal.graph.StreamNode;
import io.sluice.engine.internal.operators.FilterOperator;
import io.sluice.engine.internal.operators.FlatMapOperator;
import io.sluice.engine.internal.operators.MapOperator;
import io.sluice.engine.internal.operators.ProcessOperator;
import io.sluice.engine.internal.operators.SinkWriterOperator;
import io.sluice.engine.sink.TwoPhaseCommitSink;
import io.sluice.engine.state.Serializer;
import io.sluice.engine.state.Serializers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A stream of records of type {@code T}. Operators with the stream's parallelism are chained into
 * the producing task and called directly; {@link #rebalance} and {@link #keyBy} start a new stage
 * behind an exchange. A stream may feed several operators (each gets every record), streams may be
 * {@link #union}ed, and side outputs are streams of their own ({@link #sideOutput}).
 */
public class DataStream<T> {
  final StreamGraph graph;
  /** The edges into whatever consumes this stream next. */
  final List<StreamEdge> inputs;
  /** The parallelism of that consumer. */
  final int parallelism;
  /** The node whose output this is, or null for a union. */
  final StreamNode producer;

  DataStream(StreamGraph graph, List<StreamEdge> inputs, int parallelism, StreamNode producer) {
    this.graph = graph;
    this.inputs = List.copyOf(inputs);
    this.parallelism = parallelism;
    this.producer = producer;
  }

  static <T> DataStream<T> of(StreamGraph graph, StreamNode node) {
    return new DataStream<>(
        graph,
        List.of(new StreamEdge(node.id(), null, Partitioning.FORWARD)),
        node.parallelism(),
        node);
  }

  /** Transforms every record. */
  @SuppressWarnings("unchecked")
  public <R> DataStream<R> map(MapFunction<T, R> fn) {
    Objects.requireNonNull(fn, "fn");
    return operator("map", () -> new MapOperator((MapFunction<Object, Object>) fn));
  }

  /** Keeps the records for which {@code fn} returns true. */
  @SuppressWarnings("unchecked")
  public DataStream<T> filter(FilterFunction<T> fn) {
    Objects.requireNonNull(fn, "fn");
    return operator("filter", () -> new FilterOperator((FilterFunction<Object>) fn));
  }

  /** Emits zero or more records per record. */
  @SuppressWarnings("unchecked")
  public <R> DataStream<R> flatMap(FlatMapFunction<T, R> fn) {
    Objects.requireNonNull(fn, "fn");
    return operator("flatMap", () -> new FlatMapOperator((FlatMapFunction<Object, Object>) fn));
  }

  /**
   * Runs a {@link ProcessFunction}, which may also emit to side outputs. {@code function} makes
   * one instance per subtask.
   */
  public <R> DataStream<R> process(Supplier<? extends ProcessFunction<T, R>> function) {
    Objects.requireNonNull(function, "function");
    return operator("process", () -> new ProcessOperator(function));
  }

  /**
   * Partitions the stream by key, for keys of the common types ({@link Serializers#commonKeys()}):
   * records with equal keys go to the same subtask of the next operator, with the same
   * parallelism.
   */
  public <K> KeyedStream<T, K> keyBy(KeySelector<T, K> key) {
    return keyBy(key, Serializers.commonKeys(), parallelism);
  }

  /**
   * Partitions the stream by key: records with equal keys go to the same subtask of the next
   * operator, with the same parallelism. {@code keySerializer} turns keys into the bytes that
   * decide their key group and that checkpoints keep; equal keys must give equal bytes.
   */
  public <K> KeyedStream<T, K> keyBy(KeySelector<T, K> key, Serializer<K> keySerializer) {
    return keyBy(key, keySerializer, parallelism);
  }

  /** {@link #keyBy(KeySelector, Serializer)} into {@code parallelism} subtasks. */
  @SuppressWarnings("unchecked")
  public <K> KeyedStream<T, K> keyBy(
      KeySelector<T, K> key, Serializer<K> keySerializer, int parallelism) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(keySerializer, "keySerializer");
    Partitioning p =
        new Partitioning.KeyGroups(
            (KeySelector<Object, Object>) key, (Serializer<Object>) keySerializer);
    return new KeyedStream<>(graph, withPartitioning(p), parallelism, key, keySerializer);
  }

  /**
   * Distributes the records round-robin (batch by batch) over the next operator's {@code
   * parallelism} subtasks, through bounded exchanges.
   */
  public DataStream<T> rebalance(int parallelism) {
    return new DataStream<>(graph, withPartitioning(Partitioning.REBALANCE), parallelism, producer);
  }

  /**
   * This stream's records and those of {@code others}, in one stream (no order between them). Its
   * consumer runs at this stream's parallelism.
   */
  @SafeVarargs
  public final DataStream<T> union(DataStream<T>... others) {
    List<StreamEdge> all = new ArrayList<>(inputs);
    for (DataStream<T> other : others) {
      if (other.graph != graph) {
        throw new IllegalArgumentException("cannot union streams of different environments");
      }
      all.addAll(other.inputs);
    }
    return new DataStream<>(graph, all, parallelism, null);
  }

  /** The records the producing operator emitted to the side output {@code tag}. */
  public <X> DataStream<X> sideOutput(OutputTag<X> tag) {
    Objects.requireNonNull(tag, "tag");
    StreamNode node = requireProducer("sideOutput");
    return new DataStream<>(
        graph,
        List.of(new StreamEdge(node.id(), tag, Partitioning.FORWARD)),
        node.parallelism(),
        null);
  }

  /**
   * Pins the id of the operator producing this stream: its state is checkpointed under it, so a
   * restore finds it even after the job changed. Without it the id is derived from the
   * operator's name (made unique by position).
   */
  public DataStream<T> uid(String uid) {
    graph.setUid(requireProducer("uid"), uid);
    return this;
  }

  /**
   * Ends the stream in an exactly-once sink. {@code name} is its id in checkpoints unless {@link
   * DataStreamSink#uid} pins another: keep it stable across restarts, unique within the job.
   */
  public <C> DataStreamSink sinkTo(TwoPhaseCommitSink<T, C> sink, String name) {
    StreamNode node =
        graph.addSink(name, parallelism, sink, sinkOperator(sink), inputs);
    return new DataStreamSink(graph, node);
  }

  @SuppressWarnings("unchecked")
  private static OperatorFactory sinkOperator(TwoPhaseCommitSink<?, ?> sink) {
    return () -> new SinkWriterOperator((TwoPhaseCommitSink<Object, Object>) sink);
  }

  <R> DataStream<R> operator(String name, OperatorFactory factory) {
    StreamNode node =
        graph.addOperator(StreamNode.Kind.OPERATOR, name, parallelism, factory, inputs);
    return of(graph, node);
  }

  private List<StreamEdge> withPartitioning(Partitioning p) {
    return inputs.stream().map(e -> e.withPartitioning(p)).toList();
  }

  private StreamNode requireProducer(String call) {
    if (producer == null) {
      throw new IllegalStateException(
          call + "() needs a stream produced by one operator, not a union or side output");
    }
    return producer;
  }
}
