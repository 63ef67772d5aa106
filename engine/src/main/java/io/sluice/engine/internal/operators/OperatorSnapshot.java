package io.sluice.engine.internal.operators;

import io.sluice.engine.internal.state.KeyedStateHandle;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * What an operator returns for a checkpoint: operator state taken synchronously (null if none),
 * and the asynchronous parts that write its keyed state and return their handles (null when a part
 * has nothing to write).
 */
public record OperatorSnapshot(byte[] operatorState, List<Callable<KeyedStateHandle>> keyedState) {
  public static final OperatorSnapshot EMPTY = new OperatorSnapshot(null, List.of());
}
