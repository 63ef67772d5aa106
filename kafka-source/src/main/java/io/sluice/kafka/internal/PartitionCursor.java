package io.sluice.kafka.internal;

import org.apache.kafka.common.TopicPartition;

/** Where a reader stands in one partition it owns. */
final class PartitionCursor {
  /** {@link #nextOffset} of a discovered partition until the consumer resolved its start. */
  static final long UNRESOLVED = -1;

  final TopicPartition partition;
  /** The next offset to emit: what a checkpoint now records; or {@link #UNRESOLVED}. */
  long nextOffset;
  /**
   * Where a bounded reader stops (the source's stop offset, or else the end offset seen at open),
   * and the lag until the first fetch tells it; -1 for a partition discovered later.
   */
  final long endOffset;
  /** Bounded only: every record up to {@link #endOffset} was emitted. */
  boolean done;

  PartitionCursor(TopicPartition partition, long nextOffset, long endOffset) {
    this.partition = partition;
    this.nextOffset = nextOffset;
    this.endOffset = endOffset;
  }

  /** A partition discovered while running, to read from its earliest offset. */
  static PartitionCursor discovered(TopicPartition partition) {
    return new PartitionCursor(partition, UNRESOLVED, -1);
  }

  boolean resolved() {
    return nextOffset != UNRESOLVED;
  }
}
