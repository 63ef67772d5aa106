package io.sluice.kafka;

import io.sluice.engine.config.ConfigOption;

/**
 * The source cannot read its topic, and waiting will not change that: the topic does not exist,
 * its name is invalid, the brokers refused the source's login or its access, or (from {@link
 * KafkaSource#checkTopic()} only, before anything started) no broker answered at all.
 */
public final class KafkaTopicCheckException extends KafkaSourceException {
  private static final long serialVersionUID = 1L;

  private final transient ConfigOption<?> option;

  public KafkaTopicCheckException(ConfigOption<?> option, String message, Throwable cause) {
    super(message, cause);
    this.option = option;
  }

  /**
   * The option whose value to correct: {@link KafkaSourceOptions#TOPIC}, {@link
   * KafkaSourceOptions#BOOTSTRAP} or {@link KafkaSourceOptions#PROPERTIES} (security settings).
   */
  public ConfigOption<?> option() {
    return option;
  }
}
