package io.sluice.kafka;

import io.sluice.engine.config.ConfigOption;
import io.sluice.engine.config.OptionType;
import io.sluice.engine.config.Validator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** The options of a {@link KafkaSource} and of the source tasks reading it. */
public final class KafkaSourceOptions {
  public static final ConfigOption<String> BOOTSTRAP =
      ConfigOption.key("bootstrap", OptionType.string())
          .required()
          .validate(Validator.notEmpty())
          .doc("Kafka bootstrap servers, `host:port[,host:port...]`");

  public static final ConfigOption<String> TOPIC =
      ConfigOption.key("topic", OptionType.string())
          .required()
          .validate(Validator.notEmpty())
          .doc("the topic to read");

  public static final ConfigOption<StartPosition> START =
      ConfigOption.key("start", OptionType.scalar(
              "`earliest`, `latest`, an ISO-8601 instant (`2026-01-31T00:00:00Z`) or epoch "
                  + "milliseconds",
              KafkaSourceOptions::parseStartPosition,
              KafkaSourceOptions::formatStartPosition))
          .defaultValue(StartPosition.earliest())
          .doc("where to start when there is no checkpoint; after the first checkpoint, the "
              + "checkpoint decides");

  public static final ConfigOption<Boolean> BOUNDED =
      ConfigOption.key("bounded", OptionType.bool())
          .defaultValue(false)
          .doc("`true`: stop at the end offsets seen at start, commit, and exit (backfills, "
              + "benchmarks)");

  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOption.key("parallelism", OptionType.integer())
          .defaultValue(1)
          .validate(Validator.atLeast(1))
          .doc("source tasks; partition *p* is read by task *p mod parallelism*");

  public static final ConfigOption<Duration> PARTITION_DISCOVERY_INTERVAL =
      ConfigOption.key("partition-discovery-interval", OptionType.duration())
          .defaultValue(Duration.ofSeconds(30))
          .validate(Validator.atLeast(Duration.ZERO))
          .doc("how often a running source looks for partitions added to its topic; each new one "
              + "is read from its earliest offset by the task that owns it, without a restart, "
              + "and is in the next checkpoint. `0s`: only at start. Bounded sources read the "
              + "partitions seen at start only");

  public static final ConfigOption<OffsetResetPolicy> ON_MISSING_OFFSET =
      ConfigOption.key("on-missing-offset", OptionType.enumeration(OffsetResetPolicy.class))
          .defaultValue(OffsetResetPolicy.FAIL)
          .doc("when the offset to read next no longer exists (retention deleted it, the topic was "
              + "truncated): `fail` the pipeline naming topic, partition and offset; or, "
              + "explicitly accepting the loss, continue from the `earliest` or `latest` offset "
              + "that exists (logged as a warning with the number of offsets skipped)");

  public static final ConfigOption<MalformedRecordPolicy> ON_ERROR =
      ConfigOption.key("on-error", OptionType.enumeration(MalformedRecordPolicy.class))
          .defaultValue(MalformedRecordPolicy.FAIL)
          .doc("what a record that cannot be read into the schema (invalid JSON, a value of the "
              + "wrong type, a required field missing) does: `fail` the pipeline naming topic, "
              + "partition, offset and field; `skip` it (counted); or `dead-letter` it: its raw key "
              + "and value, position, error and field go to the dead-letter table "
              + "(`sink.dead-letter-table` of a pipeline file), committed with the same "
              + "checkpoints as the rows, exactly once (counted)");

  public static final ConfigOption<String> GROUP_ID =
      ConfigOption.key("group-id", OptionType.string())
          .optional("none")
          .doc("consumer group to which offsets are committed after each completed checkpoint, "
              + "for lag monitoring only (progress lives in the checkpoint); empty: none");

  public static final ConfigOption<Map<String, String>> PROPERTIES =
      ConfigOption.key("properties", OptionType.stringMap())
          .defaultValue(Map.of())
          .validate(Validator.of(
              "none of those the source sets itself",
              properties -> firstReserved(properties).isEmpty(),
              properties -> "consumer property '" + firstReserved(properties).orElseThrow()
                  + "' is set by the Kafka source itself and cannot be overridden (reserved: "
                  + new TreeSet<>(KafkaSource.RESERVED_PROPERTIES) + ")"))
          .doc("extra Kafka consumer properties (security, fetch sizes...); `group.id` is the "
              + "same as `group-id`");

  public static final ConfigOption<Duration> POLL_TIMEOUT =
      ConfigOption.key("poll-timeout", OptionType.duration())
          .defaultValue(Duration.ofMillis(50))
          .validate(Validator.atLeast(Duration.ZERO))
          .validate(Validator.atMost(Duration.ofMillis(500)))
          .doc("longest wait of one poll for records; readers must return promptly to take "
              + "checkpoints");

  /** Every option above, in the order of the docs. */
  public static final List<ConfigOption<?>> ALL = List.of(
      BOOTSTRAP, TOPIC, START, BOUNDED, PARALLELISM, PARTITION_DISCOVERY_INTERVAL,
      ON_MISSING_OFFSET, ON_ERROR, GROUP_ID, PROPERTIES, POLL_TIMEOUT);

  private KafkaSourceOptions() {}

  private static Optional<String> firstReserved(Map<String, String> properties) {
    return properties.keySet().stream()
        .filter(KafkaSource.RESERVED_PROPERTIES::contains)
        .findFirst();
  }

  private static StartPosition parseStartPosition(String text) {
    try {
      return switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "earliest" -> StartPosition.earliest();
        case "latest" -> StartPosition.latest();
        default -> StartPosition.timestamp(StartPosition.epochMillis(text));
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected earliest, latest, an ISO-8601 instant "
          + "(2026-01-31T00:00:00Z) or epoch milliseconds, got '" + text + "'");
    }
  }

  private static String formatStartPosition(StartPosition start) {
    return start.kind() == StartPosition.Kind.TIMESTAMP
        ? Instant.ofEpochMilli(start.timestampMillis()).toString()
        : start.toString();
  }
}
