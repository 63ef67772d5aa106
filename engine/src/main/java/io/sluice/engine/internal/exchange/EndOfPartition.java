package io.sluice.engine.internal.exchange;

/** The last event of a channel: its producer sends nothing more, not even barriers. */
public enum EndOfPartition implements ChannelEvent {
  INSTANCE
}
