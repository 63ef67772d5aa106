package io.sluice.engine.state;

import java.util.Objects;

public final class ListStateDescriptor<T> extends StateDescriptor<ListState<T>> {
  private final Serializer<T> elementSerializer;

  public ListStateDescriptor(String name, Serializer<T> elementSerializer) {
    super(name);
    this.elementSerializer = Objects.requireNonNull(elementSerializer, "elementSerializer");
  }

  public Serializer<T> elementSerializer() {
    return elementSerializer;
  }

  public ListStateDescriptor<T> withTtl(StateTtl ttl) {
    setTtl(ttl);
    return this;
  }

  @Override
  public Kind kind() {
    return Kind.LIST;
  }
}
