package io.sluice.engine.internal.runtime;

import java.util.List;

/**
 * What a task acknowledges for a checkpoint.
 *
 * @param sourceState the reader's state, or null if the task has no source
 * @param committables serialized committables, or null if the task has no sink writer
 * @param recordsWritten records its sink writer received since the previous checkpoint
 */
public record TaskSnapshot(byte[] sourceState, List<byte[]> committables, long recordsWritten) {}
