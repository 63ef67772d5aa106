package io.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSourceOptionsTest {
  @Test
  void startPositionsAreWrittenAsTheyAreRead() {
    var type = KafkaSourceOptions.START.type();
    assertEquals("earliest", type.format(StartPosition.earliest()));
    assertEquals("latest", type.format(StartPosition.latest()));
    assertEquals("2026-01-31T00:00:00Z", type.format(StartPosition.timestamp(1769817600000L)));
  }

  @Test
  void builderDefaultsAndChecksAreTheCatalogues() {
    KafkaSource source = KafkaSource.builder().bootstrapServers("b:9092").topic("t")
        .deserializer((key, value, topic, partition, offset, timestamp) -> null).build();
    assertEquals(KafkaSourceOptions.START.defaultValue(), source.startPosition());
    assertEquals(KafkaSourceOptions.BOUNDED.defaultValue(), source.bounded());
    assertEquals(KafkaSourceOptions.ON_MISSING_OFFSET.defaultValue(), source.offsetResetPolicy());
    assertEquals(MalformedRecordPolicy.FAIL, source.malformedRecordPolicy());
    assertEquals("dead-letter",
        KafkaSourceOptions.ON_ERROR.type().format(MalformedRecordPolicy.DEAD_LETTER));
    assertEquals("topic: must not be empty", assertThrows(IllegalArgumentException.class,
        () -> KafkaSource.builder().bootstrapServers("b:9092").topic(" ").build()).getMessage());
    assertEquals("poll-timeout: must be at most 500ms", assertThrows(IllegalArgumentException.class,
        () -> KafkaSource.builder().pollTimeout(Duration.ofSeconds(1))).getMessage());
    assertEquals("partition-discovery-interval: must be at least 0ms",
        assertThrows(IllegalArgumentException.class, () -> KafkaSource.builder()
            .partitionDiscoveryInterval(Duration.ofSeconds(-1))).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> KafkaSource.builder().properties(Map.of("enable.auto.commit", "true")));
  }
}
