package io.sluice.kafka.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * Turns the outcomes of periodic broker probes into what an operator reads: a warning when no
 * broker answers (which ones, since when), repeated every {@link #REPEAT} while that lasts, and a
 * line when they answer again. The time is given, so it is tested without a broker or a clock.
 * Thread-safe: a restarted job's watcher may overlap the previous one's last probe.
 */
final class BrokerReachability {
  static final Duration REPEAT = Duration.ofSeconds(30);
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  /** The brokers last seen answering, {@code host:port}; the bootstrap servers before. */
  private List<String> brokers;
  private volatile Instant unreachableSince;
  private Instant lastWarning;

  BrokerReachability(String bootstrapServers) {
    this.brokers = List.of(bootstrapServers.split("\\s*,\\s*"));
  }

  /** Since when no broker answers, or empty while they do. */
  Optional<Instant> unreachableSince() {
    return Optional.ofNullable(unreachableSince);
  }

  /**
   * A probe started at {@code probeStart} got no answer by {@code now}.
   *
   * @return the warning to log now, if one is due
   */
  synchronized Optional<String> failed(Instant probeStart, Instant now) {
    if (unreachableSince == null) {
      unreachableSince = probeStart;
    } else if (Duration.between(lastWarning, now).compareTo(REPEAT) < 0) {
      return Optional.empty();
    }
    lastWarning = now;
    return Optional.of(named() + " unreachable since " + CLOCK.format(unreachableSince) + " ("
        + Duration.between(unreachableSince, now).toSeconds() + " s): retrying; partition lag "
        + "unknown until " + (brokers.size() == 1 ? "it answers" : "one of them answers"));
  }

  /**
   * A probe got an answer from these brokers ({@code host:port}).
   *
   * @return the line to log now, when this ends an outage
   */
  synchronized Optional<String> answered(List<String> answering, Instant now) {
    if (!answering.isEmpty()) {
      brokers = List.copyOf(answering);
    }
    Instant since = unreachableSince;
    if (since == null) {
      return Optional.empty();
    }
    unreachableSince = null;
    return Optional.of(named() + " reachable again after "
        + Duration.between(since, now).toSeconds() + " s");
  }

  private String named() {
    return (brokers.size() == 1 ? "Kafka broker " : "Kafka brokers ") + String.join(", ", brokers);
  }
}
