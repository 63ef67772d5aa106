package io.sluice.engine.internal.state;

import io.sluice.engine.state.Serializer;
import java.util.function.LongSupplier;

/**
 * What a {@link io.sluice.engine.state.StateBackend} needs to create the keyed state of one
 * operator subtask.
 *
 * @param processingTime the clock of state time-to-live, in epoch milliseconds
 */
public record KeyedBackendParameters<K>(
    String pipelineId,
    String operatorId,
    int subtaskIndex,
    int parallelism,
    int maxParallelism,
    KeyGroupRange keyGroupRange,
    Serializer<K> keySerializer,
    LongSupplier processingTime) {}
