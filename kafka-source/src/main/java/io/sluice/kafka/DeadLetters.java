package io.sluice.kafka;

import io.sluice.engine.OutputTag;
import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The records a Kafka source with {@link MalformedRecordPolicy#DEAD_LETTER} could not read, as
 * rows of {@link #SCHEMA} on the side output {@link #OUTPUT}: enough to find the record in the
 * topic, see why it was refused, and replay its exact bytes once the cause is fixed.
 */
public final class DeadLetters {
  /** The side output of a Kafka source's dead letters: {@code stream.sideOutput(OUTPUT)}. */
  public static final OutputTag<Row> OUTPUT = new OutputTag<>("dead-letters");

  /**
   * A dead letter: the record's {@code key} and {@code value} bytes as read (null when absent),
   * its {@code topic}, {@code partition}, {@code offset} and {@code timestamp} (null when the record
   * has none), the {@code error} (why it could not be read), the schema {@code field} at fault
   * (null when the record as a whole is, e.g. invalid JSON), the {@code pipeline} that read it and
   * when ({@code dead_lettered_at}).
   */
  public static final Schema SCHEMA = new Schema(List.of(
      new Field("key", FieldType.BINARY, true),
      new Field("value", FieldType.BINARY, true),
      new Field("topic", FieldType.STRING, false),
      new Field("partition", FieldType.INT, false),
      new Field("offset", FieldType.LONG, false),
      new Field("timestamp", FieldType.TIMESTAMP, true),
      new Field("error", FieldType.STRING, false),
      new Field("field", FieldType.STRING, true),
      new Field("pipeline", FieldType.STRING, false),
      new Field("dead_lettered_at", FieldType.TIMESTAMP, false)));

  private DeadLetters() {}

  /**
   * The dead letter of {@code record}, which {@code pipelineId} could not read for {@code error},
   * dead-lettered at {@code nowMillis}.
   */
  public static Row of(ConsumerRecord<byte[], byte[]> record, MalformedRecordException error,
      String pipelineId, long nowMillis) {
    return new Row(
        record.key(),
        record.value(),
        record.topic(),
        record.partition(),
        record.offset(),
        record.timestamp() < 0 ? null : record.timestamp() * 1000,
        error.reason(),
        error.field(),
        pipelineId,
        nowMillis * 1000);
  }
}
