package io.sluice.kafka.internal;

import java.util.concurrent.atomic.LongAdder;

/** What all readers of one source did since it was built, across reader restarts. */
public final class SourceCounters {
  /** Records emitted. */
  public final LongAdder recordsRead = new LongAdder();
  /** Serialized key and value bytes of the records emitted. */
  public final LongAdder bytesRead = new LongAdder();
  /** Offsets skipped by the offset reset policy. */
  public final LongAdder offsetsSkipped = new LongAdder();
}
