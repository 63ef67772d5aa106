package io.sluice.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.UnrecoverableException;
import io.sluice.kafka.KafkaSourceOptions;
import io.sluice.kafka.KafkaTopicCheckException;
import io.sluice.kafka.MalformedRecordPolicy;
import io.sluice.kafka.OffsetResetPolicy;
import io.sluice.kafka.StartPosition;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** Which broker answers the source takes as final: a refused login or access, not a timeout. */
class TopicMetadataTest {
  private static final SourceSettings SETTINGS = new SourceSettings("broker-1:9092", "orders",
      StartPosition.earliest(), false, Map.of(), null, null, MalformedRecordPolicy.FAIL, Duration.ofMillis(50),
      OffsetResetPolicy.FAIL, Duration.ofSeconds(30), null);

  @Test
  void aRefusedLoginOrAccessIsFinalAndPointsAtTheConsumerProperties() {
    KafkaTopicCheckException login = TopicMetadata.refusal(
        new SaslAuthenticationException("Authentication failed: Invalid username or password"),
        SETTINGS);
    assertEquals(KafkaSourceOptions.PROPERTIES, login.option());
    assertEquals("the Kafka brokers at broker-1:9092 refused the login: Authentication failed: "
        + "Invalid username or password (check the security settings among the consumer "
        + "properties)", login.getMessage());
    assertTrue(UnrecoverableException.isCauseOf(login), "never retried");

    KafkaTopicCheckException access = TopicMetadata.refusal(
        new TopicAuthorizationException("Not authorized to access topics: [orders]"), SETTINGS);
    assertEquals(KafkaSourceOptions.PROPERTIES, access.option());
    assertEquals("the Kafka brokers at broker-1:9092 do not allow reading topic 'orders': Not "
        + "authorized to access topics: [orders] (grant the principal of the consumer properties "
        + "Describe and Read on the topic)", access.getMessage());

    assertNull(TopicMetadata.refusal(new TimeoutException("no answer"), SETTINGS), "may heal");
  }

  @Test
  void theMetadataTimeoutIsTheConsumersDefaultApiTimeout() {
    assertEquals(Duration.ofSeconds(30), SETTINGS.metadataTimeout());
    SourceSettings configured = new SourceSettings("b:9092", "t", StartPosition.earliest(), false,
        Map.of("default.api.timeout.ms", "2500"), null, null, MalformedRecordPolicy.FAIL, Duration.ofMillis(50),
        OffsetResetPolicy.FAIL, Duration.ofSeconds(30), null);
    assertEquals(Duration.ofMillis(2_500), configured.metadataTimeout());
  }
}
