package io.sluice.engine.internal.runtime;

import io.sluice.engine.internal.checkpoint.CheckpointStorage;
import io.sluice.engine.state.StateBackend;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The services all tasks of an execution attempt share.
 *
 * @param snapshotWriter runs the asynchronous parts of snapshots
 * @param timerThread waits for processing-time timers before handing them to task mailboxes
 */
public record TaskRuntime(
    String pipelineId,
    int maxParallelism,
    int exchangeBatchSize,
    StateBackend stateBackend,
    CheckpointStorage storage,
    Executor snapshotWriter,
    ScheduledExecutorService timerThread,
    TaskListener listener) {}
