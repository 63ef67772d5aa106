package io.sluice.engine.internal.state;

import io.sluice.engine.state.StateDescriptor;
import java.util.Locale;

/**
 * A keyed state as snapshots describe it: its name, kind, and whether its values carry a
 * time-to-live timestamp.
 */
public record StateMeta(String name, StateKind kind, boolean ttl) {
  public static final StateMeta PROCESSING_TIMERS =
      new StateMeta("_timers/processing", StateKind.PROCESSING_TIMERS, false);
  public static final StateMeta EVENT_TIMERS =
      new StateMeta("_timers/event", StateKind.EVENT_TIMERS, false);

  /**
   * Checks that {@code descriptor}, declared after this state was restored, declares it with its
   * checkpointed kind.
   *
   * @throws IllegalStateException if it declares another kind
   */
  public void requireDeclaredKind(StateDescriptor<?> descriptor) {
    if (kind != StateKind.of(descriptor.kind())) {
      throw new IllegalStateException(
          "state '" + name + "' was checkpointed as " + kind.name().toLowerCase(Locale.ROOT)
              + " state but is now declared as " + descriptor + ": restore it under its old"
              + " kind, or give the new state another name");
    }
  }

  public static StateMeta of(StateDescriptor<?> descriptor) {
    return new StateMeta(
        descriptor.name(), StateKind.of(descriptor.kind()), descriptor.ttl().isPresent());
  }
}
