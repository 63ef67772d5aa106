package io.sluice.localkafka.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.localkafka.LocalKafkaBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalKafkaExtension.class)
class SecondSharedBrokerTest {
  private static LocalKafkaBroker fromBeforeAll;

  @BeforeAll
  static void remember(LocalKafkaBroker broker) {
    fromBeforeAll = broker;
  }

  @Test
  void oneBrokerPerTestJvm(LocalKafkaBroker broker) {
    assertTrue(broker.isAlive());
    assertEquals(fromBeforeAll, broker);
    SharedBrokerProbe.SEEN.add(broker);
    assertEquals(1, SharedBrokerProbe.SEEN.size(), "every test class gets the same broker");
  }
}
