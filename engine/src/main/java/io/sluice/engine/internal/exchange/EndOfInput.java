package io.sluice.engine.internal.exchange;

/** The last event of a channel: its producer will send nothing more. */
public enum EndOfInput {
  INSTANCE
}
