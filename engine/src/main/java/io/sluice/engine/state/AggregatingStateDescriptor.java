package io.sluice.engine.state;

import java.util.Objects;

/** Aggregating state; the accumulator (of type {@code ACC}) is what is stored and checkpointed. */
public final class AggregatingStateDescriptor<IN, ACC, OUT>
    extends StateDescriptor<AggregatingState<IN, OUT>> {
  private final AggregateFunction<IN, ACC, OUT> aggregateFunction;
  private final Serializer<ACC> accumulatorSerializer;

  public AggregatingStateDescriptor(
      String name,
      AggregateFunction<IN, ACC, OUT> aggregateFunction,
      Serializer<ACC> accumulatorSerializer) {
    super(name);
    this.aggregateFunction = Objects.requireNonNull(aggregateFunction, "aggregateFunction");
    this.accumulatorSerializer =
        Objects.requireNonNull(accumulatorSerializer, "accumulatorSerializer");
  }

  public AggregateFunction<IN, ACC, OUT> aggregateFunction() {
    return aggregateFunction;
  }

  public Serializer<ACC> accumulatorSerializer() {
    return accumulatorSerializer;
  }

  public AggregatingStateDescriptor<IN, ACC, OUT> withTtl(StateTtl ttl) {
    setTtl(ttl);
    return this;
  }

  @Override
  public Kind kind() {
    return Kind.AGGREGATING;
  }
}
