package io.sluice.kafka.internal;

import io.sluice.kafka.OffsetResetPolicy;
import io.sluice.kafka.RecordDeserializer;
import io.sluice.kafka.StartPosition;
import java.time.Duration;
import java.util.Map;

/** Everything a reader needs, fixed when the source is built. */
public record SourceSettings(
    String bootstrapServers,
    String topic,
    StartPosition startPosition,
    boolean bounded,
    Map<String, String> consumerProperties,
    String groupId,
    RecordDeserializer deserializer,
    Duration pollTimeout,
    OffsetResetPolicy offsetResetPolicy) {}
