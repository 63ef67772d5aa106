package io.sluice.engine.internal.graph;

import io.sluice.engine.function.KeySelector;
import io.sluice.engine.state.Serializer;

/** How records of an edge are distributed over the consumer's subtasks. */
public sealed interface Partitioning {

  /** Subtask i to subtask i: chained into one task when the parallelism is equal. */
  record Forward() implements Partitioning {}

  /** Batches in turn to each consumer subtask. */
  record Rebalance() implements Partitioning {}

  /** To the subtask owning the key group of the record's key. */
  record KeyGroups(KeySelector<Object, Object> keySelector, Serializer<Object> keySerializer)
      implements Partitioning {}

  Partitioning FORWARD = new Forward();
  Partitioning REBALANCE = new Rebalance();
}
