package io.sluice.kafka;

import java.util.Map;

/** Progress of a Kafka source (or one of its readers); safe to read from any thread. */
public interface KafkaSourceMetrics {

  /** Records read (emitted) so far. */
  long recordsRead();

  /**
   * Records behind the end of each owned partition (end offset - position, as of the latest
   * fetch), by partition number. Partitions whose end offset is not known yet are absent.
   */
  Map<Integer, Long> partitionLag();

  /**
   * Offsets skipped by the {@link OffsetResetPolicy} so far: for each reset, the new offset minus
   * the missing one, when positive. Always 0 with {@link OffsetResetPolicy#FAIL}.
   */
  long offsetsSkippedByReset();

  /** Sum of {@link #partitionLag()}. */
  default long totalLag() {
    long sum = 0;
    for (long lag : partitionLag().values()) {
      sum += lag;
    }
    return sum;
  }
}
