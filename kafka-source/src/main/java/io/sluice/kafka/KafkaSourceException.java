package io.sluice.kafka;

/** A failure of the Kafka source that stops the job: never retried or skipped silently. */
public class KafkaSourceException extends RuntimeException {
  public KafkaSourceException(String message) {
    super(message);
  }

  public KafkaSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
