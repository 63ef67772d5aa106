package io.sluice.kafka;

import io.sluice.engine.UnrecoverableException;

/**
 * A failure of the Kafka source that a restart would only repeat (a topic that does not exist or
 * was recreated, a refused login, a checkpoint of another topic): the job fails at once, without
 * restart attempts. Failures that may heal (a broker that does not answer) are Kafka's own
 * retriable exceptions instead.
 */
public class KafkaSourceException extends UnrecoverableException {
  private static final long serialVersionUID = 1L;

  public KafkaSourceException(String message) {
    super(message);
  }

  public KafkaSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
