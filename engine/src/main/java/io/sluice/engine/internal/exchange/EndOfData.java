package io.sluice.engine.internal.exchange;

/**
 * The producer emitted its last record: once every channel delivered it, the consumer's operators
 * get {@code endInput} (they may still emit, e.g. fire event-time timers). Barriers may follow,
 * for the final checkpoint.
 */
public enum EndOfData implements ChannelEvent {
  INSTANCE
}
