package io.sluice.kafka.internal;

import java.util.concurrent.atomic.LongAdder;

/** What all readers of one source counted since it was built, across reader restarts. */
public final class SourceCounters {
  final LongAdder recordsRead = new LongAdder();
  /** Serialized key and value bytes of the records read. */
  final LongAdder bytesRead = new LongAdder();
  final LongAdder offsetsSkippedByReset = new LongAdder();
  final LongAdder recordsSkipped = new LongAdder();
  final LongAdder recordsDeadLettered = new LongAdder();

  public long recordsRead() {
    return recordsRead.sum();
  }

  public long bytesRead() {
    return bytesRead.sum();
  }

  public long offsetsSkippedByReset() {
    return offsetsSkippedByReset.sum();
  }

  public long recordsSkipped() {
    return recordsSkipped.sum();
  }

  public long recordsDeadLettered() {
    return recordsDeadLettered.sum();
  }
}
