package io.sluice.engine;

import java.nio.file.Path;

/**
 * How a job ended.
 *
 * @param lastCompletedCheckpointId the newest checkpoint that completed (written and committed),
 *     including one the job was restored from; -1 if there is none
 * @param recordsWritten records that reached sink writers and were covered by a committed
 *     checkpoint, summed over in-process restarts: records replayed after a restart are counted
 *     once
 * @param savepoint the savepoint written by {@link JobHandle#stopWithSavepoint}, or null
 */
public record JobResult(long lastCompletedCheckpointId, long recordsWritten, Path savepoint) {}
