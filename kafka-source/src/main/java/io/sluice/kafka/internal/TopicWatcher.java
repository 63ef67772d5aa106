package io.sluice.kafka.internal;

import io.sluice.kafka.KafkaSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a source's brokers and topic from one thread, for all its readers, while at least one of
 * them is open. It probes the brokers every {@link #PROBE_INTERVAL}, so that an outage is told
 * within seconds (which brokers, since when; while it lasts the lag is unknown) and so is its end;
 * and, when the source discovers partitions, it describes the topic at that interval and
 * publishes the partition count, from which each reader takes the new partitions it owns.
 */
public final class TopicWatcher {
  /** Operators read these lines under the source's name. */
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);
  static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);
  /** A probe unanswered this long counts as an outage. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  private final SourceSettings settings;
  private final BrokerReachability reachability;
  private volatile int partitionCount;
  private int openReaders;
  private ScheduledExecutorService executor;
  private Admin admin;

  public TopicWatcher(SourceSettings settings) {
    this.settings = settings;
    this.reachability = new BrokerReachability(settings.bootstrapServers());
  }

  /** A reader opened: the first one starts the watching. */
  synchronized void retain(String pipelineId) {
    if (openReaders++ > 0) {
      return;
    }
    partitionCount = 0; // the first discovery sets the baseline again
    String clientId = "sluice-" + pipelineId + "-" + settings.topic() + "-watch";
    admin = TopicMetadata.admin(settings, clientId);
    executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, clientId);
      thread.setDaemon(true);
      return thread;
    });
    executor.scheduleWithFixedDelay(
        this::probe, 0, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    if (settings.discoversPartitions()) {
      long interval = settings.partitionDiscoveryInterval().toMillis();
      executor.scheduleWithFixedDelay(
          this::discoverPartitions, interval, interval, TimeUnit.MILLISECONDS);
    }
  }

  /** A reader closed: the last one stops the watching. */
  synchronized void release() {
    if (--openReaders > 0) {
      return;
    }
    executor.shutdownNow();
    admin.close(Duration.ZERO);
    executor = null;
    admin = null;
  }

  /** Since when no broker answers the probes, or empty while they do. */
  public Optional<Instant> unreachableSince() {
    return reachability.unreachableSince();
  }

  /** The topic's partition count at the latest discovery, 0 before the first. */
  int partitionCount() {
    return partitionCount;
  }

  private void probe() {
    Instant start = Instant.now();
    try {
      Collection<Node> nodes = admin.describeCluster(
              new DescribeClusterOptions().timeoutMs((int) PROBE_TIMEOUT.toMillis()))
          .nodes().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      List<String> answering = nodes.stream().map(n -> n.host() + ":" + n.port()).toList();
      reachability.answered(answering, Instant.now()).ifPresent(LOG::info);
    } catch (ExecutionException e) {
      if (TopicMetadata.refusal(e.getCause(), settings) == null) {
        unanswered(start);
      } // else the brokers answer, with a refusal that fails the readers
    } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
      // a RuntimeException must not escape either: it would cancel the schedule
      unanswered(start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping
    }
  }

  private void unanswered(Instant probeStart) {
    if (!Thread.currentThread().isInterrupted()) { // else stopping: the admin client was closed
      reachability.failed(probeStart, Instant.now()).ifPresent(LOG::warn);
    }
  }

  private void discoverPartitions() {
    try {
      int count = TopicMetadata.describe(admin, settings).partitions().size();
      if (count > partitionCount) {
        if (partitionCount > 0) {
          LOG.info("topic '{}' has {} partitions now, {} before: each is read from its earliest "
              + "offset by the reader that owns it", settings.topic(), count, partitionCount);
        }
        partitionCount = count;
      }
    } catch (TimeoutException e) {
      // an outage, which the probes report
    } catch (RuntimeException e) {
      // must not escape: it would cancel the schedule
      if (!Thread.currentThread().isInterrupted()) { // else stopping
        LOG.warn("could not look for new partitions of topic '{}': {}", settings.topic(),
            e.getMessage());
      }
    }
  }
}
