package io.sluice.kafka;

/**
 * The offset the source must read next is no longer (or not) in the partition's log: retention
 * deleted the records, or the topic was recreated. Sluice never skips records silently; restore
 * from a checkpoint whose offsets still exist, start the source afresh with an explicit start
 * position, or opt in to skipping the missing records with {@link OffsetResetPolicy#EARLIEST} or
 * {@link OffsetResetPolicy#LATEST}. Thrown only with {@link OffsetResetPolicy#FAIL} (the default).
 */
public class KafkaOffsetOutOfRangeException extends KafkaPositionException {
  public KafkaOffsetOutOfRangeException(String topic, int partition, long offset, String detail,
      Throwable cause) {
    super("Offset " + offset + " of topic '" + topic + "' partition " + partition
        + " is out of range" + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")")
        + ": its records were deleted (retention, deleteRecords) or the topic was recreated. "
        + "Sluice does not skip records silently: restore from a checkpoint whose offsets still "
        + "exist, start the pipeline afresh with an explicit start position, or set the "
        + "source's offset reset policy to earliest/latest.", topic, partition, offset, cause);
  }
}
