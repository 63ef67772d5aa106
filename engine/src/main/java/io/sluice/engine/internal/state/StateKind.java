package io.sluice.engine.internal.state;

import io.sluice.engine.state.StateDescriptor;

/** What a keyed state entry holds; the codes are part of the snapshot format and never change. */
public enum StateKind {
  VALUE(1),
  LIST(2),
  MAP(3),
  REDUCING(4),
  AGGREGATING(5),
  PROCESSING_TIMERS(6),
  EVENT_TIMERS(7);

  private final int code;

  StateKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public boolean isTimers() {
    return this == PROCESSING_TIMERS || this == EVENT_TIMERS;
  }

  public static StateKind ofCode(int code) {
    for (StateKind kind : values()) {
      if (kind.code == code) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown state kind code " + code);
  }

  public static StateKind of(StateDescriptor.Kind kind) {
    return switch (kind) {
      case VALUE -> VALUE;
      case LIST -> LIST;
      case MAP -> MAP;
      case REDUCING -> REDUCING;
      case AGGREGATING -> AGGREGATING;
    };
  }
}
