package io.sluice.kafka.internal;

import io.sluice.engine.row.Row;
import io.sluice.engine.source.Output;
import io.sluice.kafka.DeadLetters;
import io.sluice.kafka.MalformedRecordException;
import io.sluice.kafka.MalformedRecordPolicy;
import io.sluice.kafka.RecordDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a reader's records into rows with the source's deserializer, and applies the {@link
 * MalformedRecordPolicy} to those it cannot read: fail, skip, or emit a dead letter to {@link
 * DeadLetters#OUTPUT}. The first malformed record a decoder meets is logged as a warning; the
 * others are counted (and logged at debug), since a topic full of them would flood the log.
 */
final class RecordDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(RecordDecoder.class);

  private final RecordDeserializer deserializer;
  private final MalformedRecordPolicy policy;
  private final String pipelineId;
  private final String readerName;
  private final SourceCounters counters;
  private boolean warned;

  RecordDecoder(RecordDeserializer deserializer, MalformedRecordPolicy policy, String pipelineId,
      String readerName, SourceCounters counters) {
    this.deserializer = deserializer;
    this.policy = policy;
    this.pipelineId = pipelineId;
    this.readerName = readerName;
    this.counters = counters;
  }

  /**
   * Emits the record's row to {@code output} (none when the deserializer returns null), or, when
   * the record is malformed, what the policy says.
   *
   * @throws MalformedRecordException with {@link MalformedRecordPolicy#FAIL}
   */
  void decode(ConsumerRecord<byte[], byte[]> record, Output<Row> output) {
    Row row;
    try {
      row = deserializer.deserialize(record.key(), record.value(), record.topic(),
          record.partition(), record.offset(), record.timestamp());
    } catch (MalformedRecordException e) {
      malformed(record, e, output);
      return;
    }
    if (row != null) {
      output.collect(row);
    }
  }

  private void malformed(ConsumerRecord<byte[], byte[]> record, MalformedRecordException e,
      Output<Row> output) {
    switch (policy) {
      case FAIL -> throw e;
      case SKIP -> counters.recordsSkipped.increment();
      case DEAD_LETTER -> {
        output.collect(DeadLetters.OUTPUT,
            DeadLetters.of(record, e, pipelineId, System.currentTimeMillis()));
        counters.recordsDeadLettered.increment();
      }
    }
    String outcome = policy == MalformedRecordPolicy.SKIP ? "skipped" : "dead-lettered";
    if (!warned) {
      warned = true;
      LOG.warn("{}: {} ({}; further malformed records are counted in the source metrics and "
          + "logged at debug level)", readerName, e.getMessage(), outcome);
    } else {
      LOG.debug("{}: {} ({})", readerName, e.getMessage(), outcome);
    }
  }
}
