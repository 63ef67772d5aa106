package io.sluice.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BrokerReachabilityTest {
  private static final Instant T0 =
      ZonedDateTime.of(2026, 11, 27, 12, 3, 4, 0, ZoneId.systemDefault()).toInstant();

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void anOutageIsToldAtOnceEveryHalfMinuteWhileItLastsAndWhenItEnds() {
    BrokerReachability brokers = new BrokerReachability("localhost:9092");
    assertEquals(Optional.empty(), brokers.answered(List.of("127.0.0.1:9092"), at(-2)));
    assertEquals(Optional.empty(), brokers.unreachableSince());

    assertEquals(Optional.of("Kafka broker 127.0.0.1:9092 unreachable since 12:03:04 (5 s): "
        + "retrying; partition lag unknown until it answers"), brokers.failed(at(0), at(5)));
    assertEquals(Optional.of(T0), brokers.unreachableSince());
    assertEquals(Optional.empty(), brokers.failed(at(7), at(12)), "not again within 30 s");
    assertEquals(Optional.of("Kafka broker 127.0.0.1:9092 unreachable since 12:03:04 (35 s): "
        + "retrying; partition lag unknown until it answers"), brokers.failed(at(30), at(35)));

    assertEquals(Optional.of("Kafka broker 127.0.0.1:9092 reachable again after 41 s"),
        brokers.answered(List.of("127.0.0.1:9092"), at(41)));
    assertEquals(Optional.empty(), brokers.unreachableSince());
    assertEquals(Optional.empty(), brokers.answered(List.of("127.0.0.1:9092"), at(43)));
    assertEquals(Optional.of("Kafka broker 127.0.0.1:9092 unreachable since 12:03:50 (5 s): "
        + "retrying; partition lag unknown until it answers"), brokers.failed(at(46), at(51)),
        "a new outage, told at once");
  }

  @Test
  void beforeAnyAnswerTheBootstrapServersAreNamed() {
    BrokerReachability brokers = new BrokerReachability("k1:9092, k2:9092");
    assertEquals(Optional.of("Kafka brokers k1:9092, k2:9092 unreachable since 12:03:04 (5 s): "
        + "retrying; partition lag unknown until one of them answers"), brokers.failed(at(0), at(5)));
  }
}
