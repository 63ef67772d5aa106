package io.sluice.engine.internal.exchange;

/** What travels through a channel of an exchange, in order. */
public sealed interface ChannelEvent permits Batch, Barrier, EndOfData, EndOfPartition {}
