package io.sluice.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RepeatedWarningFilterTest {
  private static final long T0 = LocalDateTime.of(2026, 11, 27, 12, 3, 4)
      .atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
  private static final String REFUSED = "Connection to node -1 (/127.0.0.1:9092) could not be "
      + "established. Node may not be available.";

  private final AtomicLong now = new AtomicLong(T0);
  private final LoggerContext context = new LoggerContext();
  private final ListAppender<ILoggingEvent> shown = new ListAppender<>();
  private final Logger network = context.getLogger("org.apache.kafka.clients.NetworkClient");

  RepeatedWarningFilterTest() {
    RepeatedWarningFilter filter = new RepeatedWarningFilter(now::get);
    filter.start();
    context.addTurboFilter(filter);
    shown.setContext(context);
    shown.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(shown);
  }

  @Test
  void aRepeatedKafkaWarningShowsOnceAMinuteWithTheCountHeldBack() {
    network.warn("[Consumer clientId=sluice-p-t-0, groupId=null] " + REFUSED);
    for (int i = 1; i <= 40; i++) {
      now.set(T0 + i * 1_000);
      network.warn("[Consumer clientId=sluice-p-t-" + i % 2 + ", groupId=null] " + REFUSED);
      network.warn("[AdminClient clientId=sluice-p-t-watch] " + REFUSED);
    }
    network.warn("[Consumer clientId=sluice-p-t-0, groupId=null] Connection to node 1 "
        + "(/127.0.0.1:9093) could not be established. Node may not be available.");
    context.getLogger("io.sluice.kafka.KafkaSource").warn(REFUSED);
    context.getLogger("org.apache.kafka.clients.NetworkClient").info(REFUSED);
    assertEquals(List.of(
            "[Consumer clientId=sluice-p-t-0, groupId=null] " + REFUSED,
            "[Consumer clientId=sluice-p-t-0, groupId=null] Connection to node 1 "
                + "(/127.0.0.1:9093) could not be established. Node may not be available.",
            REFUSED,
            REFUSED),
        messages(), "one per broker, other loggers and levels untouched");

    now.set(T0 + 60_000);
    network.warn("[Consumer clientId=sluice-p-t-1, groupId=null] " + REFUSED);
    now.set(T0 + 61_000);
    network.warn("[Consumer clientId=sluice-p-t-1, groupId=null] " + REFUSED);
    assertEquals("[Consumer clientId=sluice-p-t-1, groupId=null] " + REFUSED
        + " [80 more like this since 12:03:04 not shown]", messages().get(4));
    assertEquals(5, messages().size(), "a new minute starts with the one shown");
  }

  @Test
  void argumentsTellWarningsApart() {
    network.warn("Bootstrap broker {} disconnected", "127.0.0.1:9092");
    network.warn("Bootstrap broker {} disconnected", "127.0.0.1:9093");
    network.warn("Bootstrap broker {} disconnected", "127.0.0.1:9092");
    assertEquals(List.of("Bootstrap broker 127.0.0.1:9092 disconnected",
        "Bootstrap broker 127.0.0.1:9093 disconnected"), messages());
  }

  private List<String> messages() {
    return shown.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
