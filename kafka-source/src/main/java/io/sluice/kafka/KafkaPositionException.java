package io.sluice.kafka;

/**
 * An unrecoverable failure at a position of a topic partition: restarting from the checkpoint
 * would reach the same offset and fail again. Carries the position for tooling and alerts.
 */
public abstract class KafkaPositionException extends KafkaSourceException {
  private final String topic;
  private final int partition;
  private final long offset;

  protected KafkaPositionException(String message, String topic, int partition, long offset,
      Throwable cause) {
    super(message, cause);
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
  }

  public String topic() {
    return topic;
  }

  public int partition() {
    return partition;
  }

  public long offset() {
    return offset;
  }
}
