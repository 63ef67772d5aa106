package io.sluice.engine.sink;

/**
 * Where a sink writer runs.
 *
 * @param pipelineId the job's stable pipeline id
 * @param subtaskIndex this writer's index among the sink's parallel instances
 * @param parallelism how many writers the sink has
 * @param restoredCheckpointId the checkpoint the job was restored from, or -1 on a fresh start;
 *     the writer's first {@link SinkWriter#prepareCommit} is for a later checkpoint id
 */
public record SinkContext(
    String pipelineId, int subtaskIndex, int parallelism, long restoredCheckpointId) {}
