package io.sluice.engine.internal.operators;

import io.sluice.engine.internal.time.ProcessingTimeService;
import io.sluice.engine.state.StateBackend;

/**
 * What an operator instance gets from its task.
 *
 * @param output where it emits: main output and side outputs
 * @param processingTime the task's clock and timers
 * @param stateBackend where keyed operators keep their state
 */
public record OperatorContext(
    String pipelineId,
    String operatorId,
    int subtaskIndex,
    int parallelism,
    int maxParallelism,
    OperatorOutput output,
    ProcessingTimeService processingTime,
    StateBackend stateBackend) {}
