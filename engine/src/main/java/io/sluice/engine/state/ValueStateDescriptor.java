package io.sluice.engine.state;

import java.util.Objects;

public final class ValueStateDescriptor<T> extends StateDescriptor<ValueState<T>> {
  private final Serializer<T> serializer;

  public ValueStateDescriptor(String name, Serializer<T> serializer) {
    super(name);
    this.serializer = Objects.requireNonNull(serializer, "serializer");
  }

  public Serializer<T> serializer() {
    return serializer;
  }

  public ValueStateDescriptor<T> withTtl(StateTtl ttl) {
    setTtl(ttl);
    return this;
  }

  @Override
  public Kind kind() {
    return Kind.VALUE;
  }
}
