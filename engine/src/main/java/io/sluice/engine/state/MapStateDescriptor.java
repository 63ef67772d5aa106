package io.sluice.engine.state;

import java.util.Objects;

public final class MapStateDescriptor<K, V> extends StateDescriptor<MapState<K, V>> {
  private final Serializer<K> keySerializer;
  private final Serializer<V> valueSerializer;

  public MapStateDescriptor(String name, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
    super(name);
    this.keySerializer = Objects.requireNonNull(keySerializer, "keySerializer");
    this.valueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer");
  }

  public Serializer<K> keySerializer() {
    return keySerializer;
  }

  public Serializer<V> valueSerializer() {
    return valueSerializer;
  }

  public MapStateDescriptor<K, V> withTtl(StateTtl ttl) {
    setTtl(ttl);
    return this;
  }

  @Override
  public Kind kind() {
    return Kind.MAP;
  }
}
