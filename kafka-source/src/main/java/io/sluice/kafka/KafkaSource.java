package io.sluice.kafka;

import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import io.sluice.engine.source.Source;
import io.sluice.engine.source.SourceContext;
import io.sluice.engine.source.SourceReader;
import io.sluice.kafka.internal.KafkaSourceReader;
import io.sluice.kafka.internal.PartitionAssigner;
import io.sluice.kafka.internal.SourceCounters;
import io.sluice.kafka.internal.SourceSettings;
import io.sluice.kafka.internal.TopicMetadata;
import io.sluice.kafka.internal.TopicWatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads one Kafka topic into {@link Row}s, exactly once with the engine's checkpoints.
 *
 * <p>Each partition is a split owned by subtask {@code partition % parallelism}; readers use
 * {@code assign()} (no consumer group management, no rebalances), {@code read_committed}, no auto
 * commit, and {@code auto.offset.reset=none}. The next offset of every owned partition is the
 * reader's checkpoint state; on restore each reader keeps the partitions it now owns, so the
 * parallelism may change. The consumer group, when configured, only receives the offsets of
 * completed checkpoints, for lag monitoring: it is never read back.
 *
 * <p>While readers are open, one thread per source probes the brokers (an outage is logged within
 * seconds, naming the brokers and since when, and its end too; meanwhile {@link
 * KafkaSourceMetrics#totalLag()} is unknown) and, unless bounded, looks for partitions added to
 * the topic every {@link Builder#partitionDiscoveryInterval}: the reader that owns a new one reads
 * it from its earliest offset, and the next checkpoint holds it.
 *
 * <p>When the offset a reader must read next no longer exists (retention, {@code deleteRecords}),
 * the reader fails by default; {@link Builder#offsetResetPolicy} can instead let it continue from
 * the log start or end, with a WARN and {@link KafkaSourceMetrics#offsetsSkippedByReset()}.
 *
 * <p>A record the deserializer cannot read fails the reader by default; {@link
 * Builder#malformedRecordPolicy} can instead skip it, or emit it as a dead letter to the side
 * output {@link DeadLetters#OUTPUT} of the source's stream, which a second sink then commits with
 * the same checkpoints as the rows.
 *
 * <pre>{@code
 * KafkaSource source = KafkaSource.builder()
 *     .bootstrapServers("broker:9092")
 *     .topic("events")
 *     .schema(schema)                       // JSON records, fields matched by name
 *     .startPosition(StartPosition.earliest())
 *     .bounded(false)
 *     .build();
 * }</pre>
 */
public final class KafkaSource implements Source<Row> {
  /** Consumer properties the source sets itself; overriding them would break exactly-once. */
  public static final Set<String> RESERVED_PROPERTIES = Set.of(
      ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
      ConsumerConfig.ISOLATION_LEVEL_CONFIG,
      ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
      ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
      ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
      ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);

  private final SourceSettings settings;
  private final Schema schema;
  private final SourceCounters counters = new SourceCounters();
  private final CopyOnWriteArrayList<KafkaSourceReader> readers = new CopyOnWriteArrayList<>();
  /** The last positions of the readers closed so far, by partition. */
  private final Map<Integer, Long> closedReadersPositions = new ConcurrentHashMap<>();
  private final TopicWatcher watcher;

  private KafkaSource(SourceSettings settings, Schema schema) {
    this.settings = settings;
    this.schema = schema;
    this.watcher = new TopicWatcher(settings);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public SourceReader<Row> createReader(SourceContext context) {
    KafkaSourceReader reader = new KafkaSourceReader(settings, context, PartitionAssigner.MODULO,
        watcher, counters, this::closed);
    readers.add(reader);
    return reader;
  }

  private void closed(KafkaSourceReader reader) {
    closedReadersPositions.putAll(reader.partitionPositions());
    readers.remove(reader);
  }

  /**
   * Asks the brokers whether this source can read its topic, so that a pipeline can refuse to
   * start before it creates anything: the topic exists, and the brokers accept the source's login
   * and access. Waits for an answer at most {@code default.api.timeout.ms} of the consumer
   * properties, 30 s when unset.
   *
   * @return the topic's partition count
   * @throws KafkaTopicCheckException naming the option to correct: the topic does not exist, no
   *     broker answered, the brokers refused the login or the access, or the client properties
   *     are invalid
   */
  public int checkTopic() {
    return ask(() -> TopicMetadata.describe(settings, "sluice-check-" + settings.topic())
        .partitions().size());
  }

  /**
   * Where each partition's log starts now, by partition number.
   *
   * @throws KafkaTopicCheckException as {@link #checkTopic()}
   */
  public Map<Integer, Long> earliestOffsets() {
    return offsets(OffsetSpec.earliest());
  }

  /**
   * Where each partition ends now as readers see it (the last stable offset: records of open
   * transactions are not visible yet), by partition number.
   *
   * @throws KafkaTopicCheckException as {@link #checkTopic()}
   */
  public Map<Integer, Long> endOffsets() {
    return offsets(OffsetSpec.latest());
  }

  /**
   * The offset of the first record whose timestamp is at or after {@code epochMillis} in each
   * partition (Kafka's {@code offsetsForTimes}), by partition number; the partition's end offset
   * where no record is that recent.
   *
   * @throws KafkaTopicCheckException as {@link #checkTopic()}
   */
  public Map<Integer, Long> offsetsForTime(long epochMillis) {
    Map<Integer, Long> found = offsets(OffsetSpec.forTimestamp(epochMillis));
    if (found.containsValue(-1L)) {
      Map<Integer, Long> ends = endOffsets();
      found.replaceAll((partition, offset) -> offset >= 0 ? offset : ends.get(partition));
    }
    return found;
  }

  private Map<Integer, Long> offsets(OffsetSpec spec) {
    return ask(() -> TopicMetadata.offsets(settings, "sluice-offsets-" + settings.topic(), spec));
  }

  /** The answer of the brokers to {@code question}, its failures told as {@link #checkTopic()}. */
  private <T> T ask(Supplier<T> question) {
    try {
      return question.get();
    } catch (TimeoutException e) {
      // before the start, a broker that never answered is an error to show, not to wait out
      throw new KafkaTopicCheckException(KafkaSourceOptions.BOOTSTRAP, e.getMessage(), e);
    } catch (KafkaException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      if (root instanceof ConfigException) { // from the client's constructor
        boolean bootstrap = root.getMessage().contains(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        throw new KafkaTopicCheckException(bootstrap ? KafkaSourceOptions.BOOTSTRAP
            : KafkaSourceOptions.PROPERTIES, "invalid Kafka client configuration: "
            + root.getMessage(), e);
      }
      throw new KafkaTopicCheckException(KafkaSourceOptions.BOOTSTRAP, "cannot reach Kafka at "
          + settings.bootstrapServers() + ": " + root.getMessage(), e);
    }
  }

  public String topic() {
    return settings.topic();
  }

  /** The row schema, or null when the source was built with a custom deserializer only. */
  public Schema schema() {
    return schema;
  }

  public boolean bounded() {
    return settings.bounded();
  }

  public StartPosition startPosition() {
    return settings.startPosition();
  }

  public OffsetResetPolicy offsetResetPolicy() {
    return settings.offsetResetPolicy();
  }

  public MalformedRecordPolicy malformedRecordPolicy() {
    return settings.malformedRecordPolicy();
  }

  /**
   * Progress of all readers of this source: records read, offsets skipped by the offset reset
   * policy, malformed records skipped and dead-lettered since it was built (across reader
   * restarts), the lag of the partitions of its open readers, and whether its brokers answer.
   */
  public KafkaSourceMetrics metrics() {
    return new KafkaSourceMetrics() {
      @Override
      public Optional<Instant> brokersUnreachableSince() {
        return watcher.unreachableSince();
      }

      @Override
      public OptionalLong totalLag() {
        if (readers.isEmpty() || brokersUnreachableSince().isPresent()) {
          return OptionalLong.empty();
        }
        return OptionalLong.of(partitionLag().values().stream().mapToLong(Long::longValue).sum());
      }

      @Override
      public long recordsRead() {
        return counters.recordsRead();
      }

      @Override
      public long bytesRead() {
        return counters.bytesRead();
      }

      @Override
      public long offsetsSkippedByReset() {
        return counters.offsetsSkippedByReset();
      }

      @Override
      public Map<Integer, Long> partitionPositions() {
        Map<Integer, Long> positions = new HashMap<>(closedReadersPositions);
        for (KafkaSourceReader reader : readers) {
          positions.putAll(reader.partitionPositions());
        }
        return positions;
      }

      @Override
      public long recordsSkipped() {
        return counters.recordsSkipped();
      }

      @Override
      public long recordsDeadLettered() {
        return counters.recordsDeadLettered();
      }

      @Override
      public Map<Integer, Long> partitionLag() {
        Map<Integer, Long> lag = new HashMap<>();
        for (KafkaSourceReader reader : readers) {
          lag.putAll(reader.partitionLag());
        }
        return lag;
      }
    };
  }

  @Override
  public String toString() {
    return "KafkaSource[topic=" + settings.topic() + ", start=" + settings.startPosition()
        + ", bounded=" + settings.bounded() + ", offsetReset=" + settings.offsetResetPolicy()
        + ", onError=" + settings.malformedRecordPolicy() + "]";
  }

  /**
   * Builds a {@link KafkaSource}; bootstrap servers, topic and a schema or deserializer needed.
   * Defaults and checks are those of {@link KafkaSourceOptions}.
   */
  public static final class Builder {
    private String bootstrapServers;
    private String topic;
    private Schema schema;
    private StartPosition startPosition = KafkaSourceOptions.START.defaultValue();
    private boolean bounded = KafkaSourceOptions.BOUNDED.defaultValue();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private String groupId;
    private RecordDeserializer deserializer;
    private Duration pollTimeout = KafkaSourceOptions.POLL_TIMEOUT.defaultValue();
    private OffsetResetPolicy offsetResetPolicy =
        KafkaSourceOptions.ON_MISSING_OFFSET.defaultValue();
    private MalformedRecordPolicy malformedRecordPolicy =
        KafkaSourceOptions.ON_ERROR.defaultValue();
    private Duration partitionDiscoveryInterval =
        KafkaSourceOptions.PARTITION_DISCOVERY_INTERVAL.defaultValue();
    private Map<Integer, Long> stopOffsets;

    private Builder() {}

    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    /** The row schema; the default deserializer reads JSON objects into it. */
    public Builder schema(Schema schema) {
      this.schema = schema;
      return this;
    }

    /** Where partitions without restored offsets start; see {@link KafkaSourceOptions#START}. */
    public Builder startPosition(StartPosition startPosition) {
      this.startPosition = Objects.requireNonNull(startPosition, "startPosition");
      return this;
    }

    /**
     * Bounded (backfill) mode: each reader stops at the end offsets (last stable offsets) it sees
     * when it opens, and then reports end of input.
     */
    public Builder bounded(boolean bounded) {
      this.bounded = bounded;
      return this;
    }

    /**
     * Bounded by explicit offsets (a backfill's range, the same at every start): each listed
     * partition is read up to the offset before its stop offset here; a partition not listed is
     * not read. Implies {@link #bounded}.
     */
    public Builder stopOffsets(Map<Integer, Long> stopOffsetsByPartition) {
      for (Map.Entry<Integer, Long> e : stopOffsetsByPartition.entrySet()) {
        if (e.getKey() < 0 || e.getValue() == null || e.getValue() < 0) {
          throw new IllegalArgumentException("bad stop offset " + e);
        }
      }
      this.stopOffsets = Map.copyOf(stopOffsetsByPartition);
      return this;
    }

    /**
     * A Kafka consumer property (security, fetch sizes, {@code max.poll.records}, ...). The
     * {@link #RESERVED_PROPERTIES} are rejected; {@code group.id} is the same as {@link #groupId}.
     */
    public Builder property(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value of " + key);
      KafkaSourceOptions.PROPERTIES.validate(Map.of(key, value));
      if (key.equals(ConsumerConfig.GROUP_ID_CONFIG)) {
        return groupId(value);
      }
      properties.put(key, value);
      return this;
    }

    /** Several consumer properties; see {@link #property}. */
    public Builder properties(Map<String, String> properties) {
      properties.forEach(this::property);
      return this;
    }

    /**
     * A consumer group to which the offsets of completed checkpoints are committed, for lag
     * monitoring only: the checkpoint, not the group, decides where reading resumes.
     */
    public Builder groupId(String groupId) {
      this.groupId = groupId == null || groupId.isBlank() ? null : groupId;
      return this;
    }

    /** A custom deserializer (thread-safe) instead of JSON. */
    public Builder deserializer(RecordDeserializer deserializer) {
      this.deserializer = deserializer;
      return this;
    }

    /** See {@link KafkaSourceOptions#POLL_TIMEOUT}. */
    public Builder pollTimeout(Duration pollTimeout) {
      this.pollTimeout = KafkaSourceOptions.POLL_TIMEOUT.validate(pollTimeout);
      return this;
    }

    /**
     * What a reader does when the offset it must read next no longer exists in the log (at open,
     * for a restored or explicit start offset below the log start, or while running); default:
     * {@link KafkaSourceOptions#ON_MISSING_OFFSET}. {@link OffsetResetPolicy#EARLIEST} and {@link
     * OffsetResetPolicy#LATEST} skip records (with a WARN and {@link
     * KafkaSourceMetrics#offsetsSkippedByReset()}): opt in only where losing them is acceptable.
     */
    public Builder offsetResetPolicy(OffsetResetPolicy offsetResetPolicy) {
      this.offsetResetPolicy = Objects.requireNonNull(offsetResetPolicy, "offsetResetPolicy");
      return this;
    }

    /**
     * What a reader does with a record the deserializer cannot read; default: {@link
     * KafkaSourceOptions#ON_ERROR}. With {@link MalformedRecordPolicy#DEAD_LETTER} the job must
     * sink the source stream's side output {@link DeadLetters#OUTPUT}.
     */
    public Builder malformedRecordPolicy(MalformedRecordPolicy policy) {
      this.malformedRecordPolicy = Objects.requireNonNull(policy, "malformedRecordPolicy");
      return this;
    }

    /** See {@link KafkaSourceOptions#PARTITION_DISCOVERY_INTERVAL}; zero: only at start. */
    public Builder partitionDiscoveryInterval(Duration interval) {
      this.partitionDiscoveryInterval =
          KafkaSourceOptions.PARTITION_DISCOVERY_INTERVAL.validate(interval);
      return this;
    }

    public KafkaSource build() {
      KafkaSourceOptions.BOOTSTRAP.validate(bootstrapServers);
      KafkaSourceOptions.TOPIC.validate(topic);
      if (schema == null && deserializer == null) {
        throw new IllegalArgumentException("a schema (for JSON records) or a deserializer is "
            + "required");
      }
      RecordDeserializer effective = deserializer != null ? deserializer
          : new JsonRowDeserializer(schema);
      return new KafkaSource(new SourceSettings(bootstrapServers, topic, startPosition,
          bounded || stopOffsets != null, Map.copyOf(properties), groupId, effective,
          malformedRecordPolicy, pollTimeout, offsetResetPolicy, partitionDiscoveryInterval,
          stopOffsets), schema);
    }
  }
}
