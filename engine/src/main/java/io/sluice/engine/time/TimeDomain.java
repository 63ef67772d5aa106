package io.sluice.engine.time;

/** Which clock a timer follows. */
public enum TimeDomain {
  /** The wall clock of the machine (through the engine's processing-time service). */
  PROCESSING_TIME,
  /** The watermark: the event time up to which the input is complete. */
  EVENT_TIME
}
