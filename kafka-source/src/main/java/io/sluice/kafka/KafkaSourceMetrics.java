package io.sluice.kafka;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Progress of a Kafka source; safe to read from any thread. */
public interface KafkaSourceMetrics {

  /**
   * Records read so far: every record consumed, whether it became a row or was skipped or
   * dead-lettered as malformed. Records read again after a restore count again.
   */
  long recordsRead();

  /** Serialized key and value bytes of the records read so far. */
  long bytesRead();

  /**
   * The next offset to read of each partition, by partition number: as of the latest fetch of the
   * reader that reads it now (at most a second old), or as the last reader of it closed.
   * Partitions whose start is not resolved yet are absent.
   */
  Map<Integer, Long> partitionPositions();

  /**
   * Malformed records dropped by {@link MalformedRecordPolicy#SKIP} so far (again after a restore
   * that re-reads them). Always 0 with the other policies.
   */
  long recordsSkipped();

  /**
   * Malformed records emitted as dead letters by {@link MalformedRecordPolicy#DEAD_LETTER} so far
   * (again after a restore that re-reads them; the dead-letter table holds each once). Always 0
   * with the other policies.
   */
  long recordsDeadLettered();

  /**
   * Records behind the end of each partition read now (end offset - position, as of the latest
   * fetch), by partition number. Partitions whose lag is not known yet are absent.
   */
  Map<Integer, Long> partitionLag();

  /**
   * Offsets skipped by the {@link OffsetResetPolicy} so far: for each reset, the new offset minus
   * the missing one, when positive. Always 0 with {@link OffsetResetPolicy#FAIL}.
   */
  long offsetsSkippedByReset();

  /** Since when no Kafka broker answers the source, or empty while they answer. */
  Optional<Instant> brokersUnreachableSince();

  /**
   * Sum of {@link #partitionLag()}, or empty while it cannot be measured: no broker answers (the
   * latest figures would be stale), or no reader is open.
   */
  OptionalLong totalLag();
}
