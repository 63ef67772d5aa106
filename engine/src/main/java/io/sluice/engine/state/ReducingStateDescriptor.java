package io.sluice.engine.state;

import java.util.Objects;

public final class ReducingStateDescriptor<T> extends StateDescriptor<ReducingState<T>> {
  private final ReduceFunction<T> reduceFunction;
  private final Serializer<T> serializer;

  public ReducingStateDescriptor(
      String name, ReduceFunction<T> reduceFunction, Serializer<T> serializer) {
    super(name);
    this.reduceFunction = Objects.requireNonNull(reduceFunction, "reduceFunction");
    this.serializer = Objects.requireNonNull(serializer, "serializer");
  }

  public ReduceFunction<T> reduceFunction() {
    return reduceFunction;
  }

  public Serializer<T> serializer() {
    return serializer;
  }

  public ReducingStateDescriptor<T> withTtl(StateTtl ttl) {
    setTtl(ttl);
    return this;
  }

  @Override
  public Kind kind() {
    return Kind.REDUCING;
  }
}
