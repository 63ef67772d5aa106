package io.sluice.engine.state;

import java.util.Objects;
import java.util.Optional;

/**
 * Declares a keyed state: its name (unique within the function, and kept across restarts: state
 * is restored by name), the kind of state, how its values are serialized, and an optional
 * time-to-live.
 */
public abstract sealed class StateDescriptor<S extends State>
    permits ValueStateDescriptor,
        ListStateDescriptor,
        MapStateDescriptor,
        ReducingStateDescriptor,
        AggregatingStateDescriptor {

  /** The kinds of keyed state; checkpoints record it so a restore can check it. */
  public enum Kind {
    VALUE,
    LIST,
    MAP,
    REDUCING,
    AGGREGATING
  }

  private final String name;
  private StateTtl ttl;

  StateDescriptor(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a state name must not be blank");
    }
    this.name = name;
  }

  public final String name() {
    return name;
  }

  public abstract Kind kind();

  public final Optional<StateTtl> ttl() {
    return Optional.ofNullable(ttl);
  }

  final void setTtl(StateTtl ttl) {
    this.ttl = Objects.requireNonNull(ttl, "ttl");
  }

  @Override
  public String toString() {
    return kind().name().toLowerCase(java.util.Locale.ROOT) + " state '" + name + "'";
  }
}
