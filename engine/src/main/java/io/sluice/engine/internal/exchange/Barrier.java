package io.sluice.engine.internal.exchange;

/** Checkpoint barrier: everything before it in a channel belongs to checkpoint {@code id}. */
public record Barrier(long checkpointId) implements ChannelEvent {}
