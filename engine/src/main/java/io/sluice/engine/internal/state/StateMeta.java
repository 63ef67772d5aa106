package io.sluice.engine.internal.state;

import io.sluice.engine.state.StateDescriptor;

/**
 * A keyed state as snapshots describe it: its name, kind, and whether its values carry a
 * time-to-live timestamp.
 */
public record StateMeta(String name, StateKind kind, boolean ttl) {
  public static final StateMeta PROCESSING_TIMERS =
      new StateMeta("_timers/processing", StateKind.PROCESSING_TIMERS, false);
  public static final StateMeta EVENT_TIMERS =
      new StateMeta("_timers/event", StateKind.EVENT_TIMERS, false);

  public static StateMeta of(StateDescriptor<?> descriptor) {
    return new StateMeta(
        descriptor.name(), StateKind.of(descriptor.kind()), descriptor.ttl().isPresent());
  }
}
