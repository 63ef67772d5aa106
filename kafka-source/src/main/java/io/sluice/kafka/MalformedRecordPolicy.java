package io.sluice.kafka;

/**
 * What a Kafka source does with a record its deserializer cannot turn into a row (a {@link
 * MalformedRecordException}: invalid JSON, a value of the wrong type, a required field missing).
 *
 * <p>Whatever the policy, the record counts as read and its offset moves on with the checkpoint,
 * so a restore never meets it again unless it re-reads it: then the same policy applies again.
 */
public enum MalformedRecordPolicy {
  /**
   * Fail the reader with the exception (unrecoverable: a restart would fail the same way), naming
   * the topic, partition, offset and, where known, the field. The default.
   */
  FAIL,

  /**
   * Drop the record and count it in {@link KafkaSourceMetrics#recordsSkipped()}; the first one of
   * each reader is logged as a warning with its position and error.
   */
  SKIP,

  /**
   * Emit a {@link DeadLetters#SCHEMA dead letter} (the raw key and value, the position, the error
   * and the field) to the side output {@link DeadLetters#OUTPUT} and count it in {@link
   * KafkaSourceMetrics#recordsDeadLettered()}. A dead letter belongs to the checkpoint of the
   * records around it, so a sink of the side output commits it exactly once with them. The job
   * must consume that side output: records emitted to a side output nothing reads are dropped.
   */
  DEAD_LETTER
}
