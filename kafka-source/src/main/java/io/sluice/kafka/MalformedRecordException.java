package io.sluice.kafka;

/**
 * A record that cannot be turned into a row: invalid JSON, a value of the wrong type, or a missing
 * required field. The message names the topic, partition, offset and the field or reason.
 */
public class MalformedRecordException extends KafkaPositionException {
  private final String field;
  private final String reason;

  /**
   * @param field the schema field at fault, or null when the record as a whole is (e.g. bad JSON)
   */
  public MalformedRecordException(String topic, int partition, long offset, String field,
      String reason, Throwable cause) {
    super(message(topic, partition, offset, field, reason), topic, partition, offset, cause);
    this.field = field;
    this.reason = reason;
  }

  public MalformedRecordException(String topic, int partition, long offset, String field,
      String reason) {
    this(topic, partition, offset, field, reason, null);
  }

  private static String message(String topic, int partition, long offset, String field,
      String reason) {
    return "Malformed record in topic '" + topic + "' partition " + partition + " offset " + offset
        + (field == null ? "" : ", field '" + field + "'") + ": " + reason;
  }

  /** The schema field at fault, or null when the record as a whole is malformed. */
  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }
}
