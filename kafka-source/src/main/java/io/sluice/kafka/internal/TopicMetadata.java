package io.sluice.kafka.internal;

import io.sluice.kafka.KafkaSourceOptions;
import io.sluice.kafka.KafkaTopicCheckException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The source's questions to the brokers through admin clients, with the failures that cannot heal
 * told apart from those that may.
 */
public final class TopicMetadata {
  /** Existing topics named in the error for a missing one, at most. */
  private static final int TOPICS_LISTED = 20;

  private TopicMetadata() {}

  /** An admin client with the source's bootstrap servers and admin-relevant properties. */
  static Admin admin(SourceSettings settings, String clientId) {
    Properties props = new Properties();
    settings.consumerProperties().forEach((key, value) -> {
      if (AdminClientConfig.configNames().contains(key)) {
        props.put(key, value);
      }
    });
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    return Admin.create(props);
  }

  /**
   * Describes the topic, waiting at most {@link SourceSettings#metadataTimeout()}.
   *
   * @throws KafkaTopicCheckException when waiting cannot help: the topic does not exist or its
   *     name is invalid, or the brokers refused the login or the access
   * @throws TimeoutException when no broker answered in time (retriable)
   * @throws KafkaException any other failure
   */
  public static TopicDescription describe(SourceSettings settings, String clientId) {
    try (Admin admin = admin(settings, clientId)) {
      return describe(admin, settings);
    }
  }

  static TopicDescription describe(Admin admin, SourceSettings settings) {
    String topic = settings.topic();
    Duration timeout = settings.metadataTimeout();
    try {
      return admin.describeTopics(List.of(topic),
              new DescribeTopicsOptions().timeoutMs((int) Math.min(Integer.MAX_VALUE, timeout.toMillis())))
          .allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UnknownTopicOrPartitionException) {
        throw new KafkaTopicCheckException(KafkaSourceOptions.TOPIC, "topic '" + topic
            + "' does not exist at " + settings.bootstrapServers() + existingTopics(admin, settings),
            cause);
      }
      if (cause instanceof InvalidTopicException) {
        throw new KafkaTopicCheckException(KafkaSourceOptions.TOPIC, "'" + topic + "' is not a "
            + "valid topic name: " + cause.getMessage(), cause);
      }
      KafkaTopicCheckException refused = refusal(cause, settings);
      if (refused != null) {
        throw refused;
      }
      if (cause instanceof TimeoutException) {
        throw new TimeoutException(noAnswer(settings), cause);
      }
      throw new KafkaException("could not describe topic '" + topic + "' at "
          + settings.bootstrapServers() + ": " + cause, cause);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new TimeoutException(noAnswer(settings), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted describing topic '" + topic + "'", e);
    }
  }

  /**
   * The offset of each partition of the topic that {@code spec} asks for, by partition number, as
   * readers see it ({@code read_committed}: {@link OffsetSpec#latest()} is the last stable
   * offset); -1 where the partition holds no record for a {@link OffsetSpec#forTimestamp}.
   * Waits at most {@link SourceSettings#metadataTimeout()}; fails as {@link #describe}.
   */
  public static Map<Integer, Long> offsets(SourceSettings settings, String clientId,
      OffsetSpec spec) {
    try (Admin admin = admin(settings, clientId)) {
      TopicDescription topic = describe(admin, settings);
      Map<TopicPartition, OffsetSpec> query = new HashMap<>();
      topic.partitions().forEach(p -> query.put(new TopicPartition(topic.name(), p.partition()),
          spec));
      Duration timeout = settings.metadataTimeout();
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found =
          admin.listOffsets(query, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)
                  .timeoutMs((int) Math.min(Integer.MAX_VALUE, timeout.toMillis())))
              .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Map<Integer, Long> offsets = new TreeMap<>();
      found.forEach((tp, info) -> offsets.put(tp.partition(), info.offset()));
      return offsets;
    } catch (ExecutionException e) {
      KafkaTopicCheckException refused = refusal(e.getCause(), settings);
      if (refused != null) {
        throw refused;
      }
      if (e.getCause() instanceof TimeoutException) {
        throw new TimeoutException(noAnswer(settings), e.getCause());
      }
      throw new KafkaException("could not list the offsets of topic '" + settings.topic()
          + "' at " + settings.bootstrapServers() + ": " + e.getCause(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new TimeoutException(noAnswer(settings), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted listing the offsets of topic '" + settings.topic()
          + "'", e);
    }
  }

  /**
   * The unrecoverable failure for a refused login or access, or null for any other failure. The
   * security settings are consumer properties, hence the option named.
   */
  public static KafkaTopicCheckException refusal(Throwable failure, SourceSettings settings) {
    if (failure instanceof AuthenticationException) {
      return new KafkaTopicCheckException(KafkaSourceOptions.PROPERTIES, "the Kafka brokers at "
          + settings.bootstrapServers() + " refused the login: " + failure.getMessage()
          + " (check the security settings among the consumer properties)", failure);
    }
    if (failure instanceof AuthorizationException) {
      return new KafkaTopicCheckException(KafkaSourceOptions.PROPERTIES, "the Kafka brokers at "
          + settings.bootstrapServers() + " do not allow reading topic '" + settings.topic()
          + "': " + failure.getMessage() + " (grant the principal of the consumer properties "
          + "Describe and Read on the topic)", failure);
    }
    return null;
  }

  static String noAnswer(SourceSettings settings) {
    long millis = settings.metadataTimeout().toMillis();
    return "no Kafka broker answered at " + settings.bootstrapServers() + " within "
        + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms");
  }

  /** {@code " (topics there: a, b)"}, or nothing when they cannot be listed. */
  private static String existingTopics(Admin admin, SourceSettings settings) {
    try {
      Set<String> names = new TreeSet<>(admin.listTopics().names()
          .get(settings.metadataTimeout().toMillis(), TimeUnit.MILLISECONDS));
      if (names.isEmpty()) {
        return " (it has no topics)";
      }
      List<String> shown = names.stream().limit(TOPICS_LISTED).toList();
      return " (topics there: " + String.join(", ", shown)
          + (names.size() > shown.size() ? ", ..." : "") + ")";
    } catch (ExecutionException | java.util.concurrent.TimeoutException | KafkaException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
