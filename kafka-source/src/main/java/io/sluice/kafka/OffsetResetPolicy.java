package io.sluice.kafka;

/**
 * What a Kafka source does when the offset it must read next is no longer in the partition's log:
 * retention or {@code deleteRecords} removed the records, or the log was truncated.
 *
 * <p>It applies when a reader opens (an offset restored from a checkpoint, or an explicit {@link
 * StartPosition#offsets start offset}, below the partition's log start offset) and while it runs
 * (the broker answers a fetch with {@code OFFSET_OUT_OF_RANGE}). It never decides where a fresh
 * start begins: that is the {@link StartPosition}.
 *
 * <p>{@link #FAIL}, the default, keeps exactly-once strict: nothing is ever skipped. {@link
 * #EARLIEST} and {@link #LATEST} trade completeness for availability: the reader moves on and
 * the records between the missing offset and the new one are lost to the pipeline. Such a reset is
 * never silent: every one is logged as a WARN naming the topic, partition, missing offset, new
 * offset and the number of offsets skipped, and the skipped offsets are counted in {@link
 * KafkaSourceMetrics#offsetsSkippedByReset()}. The checkpointed position follows the reset, so a
 * restore after it does not hit the missing offset again.
 */
public enum OffsetResetPolicy {
  /**
   * Fail the reader with {@link KafkaOffsetOutOfRangeException} (unrecoverable), naming the topic,
   * partition and offset. The default.
   */
  FAIL,

  /**
   * Continue from the partition's current log start offset (its oldest record still retained):
   * skips only the records that no longer exist.
   */
  EARLIEST,

  /**
   * Continue from the partition's current end offset (for {@code read_committed}: the last stable
   * offset): skips the missing records and every record still in the log before the end.
   */
  LATEST
}
