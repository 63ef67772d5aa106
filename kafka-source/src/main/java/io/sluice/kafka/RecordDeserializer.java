package io.sluice.kafka;

import io.sluice.engine.row.Row;

/**
 * Turns a Kafka record into a {@link Row}. One instance serves all readers of a source, each from
 * its own thread, so it must be thread-safe (stateless is simplest). It must not keep references to
 * {@code key} or {@code value} after returning.
 *
 * @see JsonRowDeserializer the default
 */
@FunctionalInterface
public interface RecordDeserializer {

  /**
   * @param key the record key, or null
   * @param value the record value, or null for a tombstone
   * @param timestamp the record timestamp (epoch milliseconds)
   * @return the row, or null to skip the record (it still counts as read)
   * @throws MalformedRecordException when the record cannot be read; the job fails
   */
  Row deserialize(byte[] key, byte[] value, String topic, int partition, long offset,
      long timestamp) throws MalformedRecordException;
}
