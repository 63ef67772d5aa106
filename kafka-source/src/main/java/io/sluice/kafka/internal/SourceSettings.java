package io.sluice.kafka.internal;

import io.sluice.kafka.MalformedRecordPolicy;
import io.sluice.kafka.OffsetResetPolicy;
import io.sluice.kafka.RecordDeserializer;
import io.sluice.kafka.StartPosition;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Everything a reader needs, fixed when the source is built.
 *
 * @param stopOffsets when bounded, where each partition ends (exclusive), the same at every
 *     start; null: at the end offsets a reader sees when it opens
 */
public record SourceSettings(
    String bootstrapServers,
    String topic,
    StartPosition startPosition,
    boolean bounded,
    Map<String, String> consumerProperties,
    String groupId,
    RecordDeserializer deserializer,
    MalformedRecordPolicy malformedRecordPolicy,
    Duration pollTimeout,
    OffsetResetPolicy offsetResetPolicy,
    Duration partitionDiscoveryInterval,
    Map<Integer, Long> stopOffsets) {
  private static final Duration DEFAULT_METADATA_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The longest wait for topic metadata and offsets (when the source checks its topic, when a
   * reader opens): the consumer property {@code default.api.timeout.ms} when set, else 30 s.
   */
  public Duration metadataTimeout() {
    String configured = consumerProperties.get(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG);
    try {
      return configured == null ? DEFAULT_METADATA_TIMEOUT
          : Duration.ofMillis(Long.parseLong(configured.trim()));
    } catch (NumberFormatException e) {
      return DEFAULT_METADATA_TIMEOUT; // the Kafka clients refuse it with their own message
    }
  }

  /** Whether running readers look for new partitions. */
  public boolean discoversPartitions() {
    return !bounded && !partitionDiscoveryInterval.isZero();
  }
}
