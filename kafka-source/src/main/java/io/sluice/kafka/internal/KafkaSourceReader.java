package io.sluice.kafka.internal;

import io.sluice.engine.row.Row;
import io.sluice.engine.source.InputStatus;
import io.sluice.engine.source.Output;
import io.sluice.engine.source.SourceContext;
import io.sluice.engine.source.SourceReader;
import io.sluice.kafka.KafkaOffsetOutOfRangeException;
import io.sluice.engine.UnrecoverableException;
import io.sluice.kafka.KafkaSourceException;
import io.sluice.kafka.KafkaSourceMetrics;
import io.sluice.kafka.OffsetResetPolicy;
import io.sluice.kafka.RecordDeserializer;
import io.sluice.kafka.StartPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One parallel instance of {@link io.sluice.kafka.KafkaSource}: reads the partitions {@code p} with
 * {@code p % parallelism == subtaskIndex}, with {@code assign()} and {@code read_committed}.
 *
 * <p>Its state is the next offset of every owned partition, taken from {@code
 * consumer.position()} after all records a poll returned were emitted, so it covers exactly those
 * records and already steps over transaction markers and aborted records.
 *
 * <p>An offset to read that is no longer in the log (at open or while polling) fails the reader
 * with {@link KafkaOffsetOutOfRangeException}, unless the source's {@link OffsetResetPolicy} says
 * to continue from the log start or end; such a reset is logged as a WARN, counted in {@link
 * #offsetsSkippedByReset()} and moves the checkpointed offset with it.
 */
public final class KafkaSourceReader implements SourceReader<Row>, KafkaSourceMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSourceReader.class);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_PENDING_COMMITS = 64;
  private static final long LAG_PUBLISH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final SourceSettings settings;
  private final SourceContext context;
  private final LongAdder sourceRecordsRead;
  private final LongAdder sourceOffsetsSkipped;
  private final Consumer<KafkaSourceReader> onClose;
  private final RecordDeserializer deserializer;
  private final String topic;

  private KafkaConsumer<byte[], byte[]> consumer;
  private Uuid topicId;
  /** Owned partitions, ascending; a partition's slot is its index here. */
  private TopicPartition[] partitions = new TopicPartition[0];
  private final Map<Integer, Integer> slotByPartition = new HashMap<>();
  private long[] nextOffsets = new long[0];
  /** End offsets seen at open: the stop offsets in bounded mode, the first lag figures otherwise. */
  private long[] endOffsets = new long[0];
  private boolean[] done = new boolean[0];
  private int partitionsLeft;
  private long[] commitRequested = new long[0];
  private final LinkedHashMap<Long, long[]> pendingCommits = new LinkedHashMap<>();

  private volatile long recordsRead;
  private volatile long offsetsSkipped;
  private volatile Map<Integer, Long> lag = Map.of();
  private long lastLagPublish;
  private boolean opened;
  private boolean closed;

  public KafkaSourceReader(SourceSettings settings, SourceContext context,
      LongAdder sourceRecordsRead, LongAdder sourceOffsetsSkipped,
      Consumer<KafkaSourceReader> onClose) {
    if (context.parallelism() < 1 || context.subtaskIndex() < 0
        || context.subtaskIndex() >= context.parallelism()) {
      throw new IllegalArgumentException("bad source context " + context);
    }
    this.settings = settings;
    this.context = context;
    this.sourceRecordsRead = sourceRecordsRead;
    this.sourceOffsetsSkipped = sourceOffsetsSkipped;
    this.onClose = onClose;
    this.deserializer = settings.deserializer();
    this.topic = settings.topic();
  }

  // -------------------------------------------------------------------------------------- open

  @Override
  public void open(List<byte[]> restoredStates) {
    if (opened) {
      throw new IllegalStateException("reader already opened");
    }
    opened = true;
    TopicDescription description = describeTopic();
    topicId = description.topicId();
    int partitionCount = description.partitions().size();
    boolean restoring = !restoredStates.isEmpty();
    Map<Integer, Long> restored = restoredOffsets(restoredStates);

    List<TopicPartition> owned = new ArrayList<>();
    for (int p = 0; p < partitionCount; p++) {
      if (p % context.parallelism() == context.subtaskIndex()) {
        slotByPartition.put(p, owned.size());
        owned.add(new TopicPartition(topic, p));
      }
    }
    partitions = owned.toArray(new TopicPartition[0]);
    int n = partitions.length;
    nextOffsets = new long[n];
    endOffsets = new long[n];
    done = new boolean[n];
    commitRequested = new long[n];
    Arrays.fill(commitRequested, -1);

    consumer = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    try {
      seekOwnedPartitions(owned, restoring, restored, partitionCount);
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      consumer = null;
      throw e;
    }
  }

  /** Seeks every owned partition to its restored or start offset. */
  private void seekOwnedPartitions(List<TopicPartition> owned, boolean restoring,
      Map<Integer, Long> restored, int partitionCount) {
    int n = partitions.length;
    if (n == 0) {
      LOG.info("{}: no partition of topic '{}' ({} partitions) is owned by this subtask", name(),
          topic, partitionCount);
      return;
    }
    consumer.assign(owned);
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(owned, METADATA_TIMEOUT);
    Map<TopicPartition, Long> end = consumer.endOffsets(owned, METADATA_TIMEOUT);
    Map<TopicPartition, OffsetAndTimestamp> byTime = Map.of();
    StartPosition start = settings.startPosition();
    if (!restoring && start.kind() == StartPosition.Kind.TIMESTAMP) {
      Map<TopicPartition, Long> query = new HashMap<>();
      for (TopicPartition tp : owned) {
        query.put(tp, start.timestampMillis());
      }
      byTime = consumer.offsetsForTimes(query, METADATA_TIMEOUT);
    }

    Map<Integer, String> origin = new LinkedHashMap<>();
    for (int slot = 0; slot < n; slot++) {
      TopicPartition tp = partitions[slot];
      int p = tp.partition();
      long logStart = beginning.get(tp);
      long logEnd = end.get(tp);
      long offset;
      String from;
      if (restored.containsKey(p)) {
        offset = restored.get(p);
        from = "checkpoint";
      } else if (restoring) {
        // Absent from the checkpoint: created after it, so every record in it is new.
        offset = logStart;
        from = "earliest (new partition)";
      } else {
        switch (start.kind()) {
          case EARLIEST -> offset = logStart;
          case LATEST -> offset = logEnd;
          case TIMESTAMP -> {
            OffsetAndTimestamp found = byTime.get(tp);
            offset = found == null ? logEnd : found.offset();
          }
          case OFFSETS -> offset = start.offsets().getOrDefault(p, logStart);
          default -> throw new IllegalStateException("unknown start position " + start);
        }
        from = start.toString();
      }
      if (offset < logStart) {
        if (settings.offsetResetPolicy() == OffsetResetPolicy.FAIL) {
          throw new KafkaOffsetOutOfRangeException(topic, p, offset, "from " + from
              + "; the log starts at " + logStart + " and ends at " + logEnd, null);
        }
        long missing = offset;
        offset = resetTarget(logStart, logEnd);
        reportReset(tp, missing, offset, logStart, logEnd, "at open, from " + from,
            settings.bounded() && offset >= logEnd);
        from += ", reset to " + settings.offsetResetPolicy().name().toLowerCase() + " from "
            + missing;
      }
      consumer.seek(tp, offset);
      nextOffsets[slot] = offset;
      endOffsets[slot] = logEnd;
      if (settings.bounded() && offset >= logEnd) {
        done[slot] = true;
      } else {
        partitionsLeft++;
      }
      origin.put(p, offset + " (" + from + ")");
    }
    if (settings.bounded()) {
      List<TopicPartition> finished = new ArrayList<>();
      for (int slot = 0; slot < n; slot++) {
        if (done[slot]) {
          finished.add(partitions[slot]);
        }
      }
      consumer.pause(finished);
    }
    publishLag(true);
    LOG.info("{}: reading topic '{}' partitions {} from offsets {}{}", name(), topic,
        slotByPartition.keySet(), origin,
        settings.bounded() ? ", bounded by end offsets " + Arrays.toString(endOffsets) : "");
  }

  private TopicDescription describeTopic() {
    Properties props = new Properties();
    for (Map.Entry<String, String> e : settings.consumerProperties().entrySet()) {
      if (AdminClientConfig.configNames().contains(e.getKey())) {
        props.put(e.getKey(), e.getValue());
      }
    }
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId() + "-admin");
    try (Admin admin = Admin.create(props)) {
      return admin.describeTopics(List.of(topic)).allTopicNames()
          .get(METADATA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new KafkaSourceException("topic '" + topic + "' does not exist on "
            + settings.bootstrapServers(), e.getCause());
      }
      throw new KafkaSourceException("could not describe topic '" + topic + "' on "
          + settings.bootstrapServers() + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaSourceException("could not describe topic '" + topic + "' on "
          + settings.bootstrapServers() + " within " + METADATA_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaSourceException("interrupted describing topic '" + topic + "'", e);
    }
  }

  /** The union of all readers' states, checked to belong to this very topic. */
  private Map<Integer, Long> restoredOffsets(List<byte[]> states) {
    Map<Integer, Long> offsets = new HashMap<>();
    for (byte[] bytes : states) {
      OffsetsState state = OffsetsState.decode(bytes);
      if (!state.topic().equals(topic)) {
        throw new KafkaSourceException("the restored checkpoint holds offsets of topic '"
            + state.topic() + "' but this source reads topic '" + topic + "'; start the pipeline "
            + "afresh (without restoring) to read a different topic");
      }
      if (state.hasTopicId() && topicId != null) {
        Uuid checkpointed = new Uuid(state.topicIdHigh(), state.topicIdLow());
        if (!checkpointed.equals(topicId)) {
          throw new KafkaSourceException("topic '" + topic + "' was deleted and recreated since "
              + "the checkpoint (topic id " + checkpointed + " then, " + topicId + " now): its "
              + "offsets do not apply to the new topic. Sluice does not skip or replay records "
              + "silently: start the pipeline afresh with an explicit start position");
        }
      }
      for (Map.Entry<Integer, Long> e : state.nextOffsets().entrySet()) {
        Long previous = offsets.put(e.getKey(), e.getValue());
        if (previous != null && !previous.equals(e.getValue())) {
          throw new KafkaSourceException("the restored checkpoint holds two offsets for topic '"
              + topic + "' partition " + e.getKey() + ": " + previous + " and " + e.getValue());
        }
      }
    }
    return offsets;
  }

  private Properties consumerProperties() {
    Properties props = new Properties();
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId());
    props.putAll(settings.consumerProperties());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    if (settings.groupId() != null) {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
    } else {
      props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    }
    return props;
  }

  private String clientId() {
    return "sluice-" + context.pipelineId() + "-" + topic + "-" + context.subtaskIndex();
  }

  private String name() {
    return "Kafka source " + context.pipelineId() + "[" + context.subtaskIndex() + "/"
        + context.parallelism() + "]";
  }

  // -------------------------------------------------------------------------------------- poll

  @Override
  public InputStatus pollNext(Output<Row> output) {
    if (!opened || closed) {
      throw new IllegalStateException("reader is " + (closed ? "closed" : "not opened"));
    }
    if (partitions.length == 0) {
      return settings.bounded() ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
    }
    if (settings.bounded() && partitionsLeft == 0) {
      return InputStatus.END_OF_INPUT;
    }
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = consumer.poll(settings.pollTimeout());
    } catch (OffsetOutOfRangeException e) {
      if (settings.offsetResetPolicy() == OffsetResetPolicy.FAIL) {
        throw outOfRange(e);
      }
      resetOutOfRange(e);
      records = ConsumerRecords.empty(); // a poll that throws returned no record
    }
    long emitted = 0;
    if (!records.isEmpty()) {
      for (TopicPartition tp : records.partitions()) {
        int slot = slotByPartition.get(tp.partition());
        long stop = settings.bounded() ? endOffsets[slot] : Long.MAX_VALUE;
        for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
          if (record.offset() >= stop) {
            break; // bounded: beyond the end offsets seen at open
          }
          Row row = deserializer.deserialize(record.key(), record.value(), topic,
              record.partition(), record.offset(), record.timestamp());
          if (row != null) {
            output.collect(row);
          }
          emitted++;
        }
      }
    }
    updatePositions();
    if (emitted > 0) {
      recordsRead += emitted;
      sourceRecordsRead.add(emitted);
    }
    publishLag(false);
    if (emitted > 0) {
      return InputStatus.MORE_AVAILABLE;
    }
    if (settings.bounded() && partitionsLeft == 0) {
      return InputStatus.END_OF_INPUT;
    }
    return InputStatus.NOTHING_AVAILABLE;
  }

  /**
   * Takes each partition's position after the emitted records. The position may be past the last
   * record (transaction markers, aborted records), which is where reading must resume.
   */
  private void updatePositions() {
    List<TopicPartition> finished = null;
    for (int slot = 0; slot < partitions.length; slot++) {
      if (done[slot]) {
        continue;
      }
      long position = consumer.position(partitions[slot]);
      if (settings.bounded() && position >= endOffsets[slot]) {
        position = endOffsets[slot]; // records past the end were fetched but not emitted
        done[slot] = true;
        partitionsLeft--;
        if (finished == null) {
          finished = new ArrayList<>();
        }
        finished.add(partitions[slot]);
      }
      nextOffsets[slot] = position;
    }
    if (finished != null) {
      consumer.pause(finished);
      if (partitionsLeft == 0) {
        LOG.info("{}: reached the end offsets of topic '{}' partitions {}", name(), topic,
            slotByPartition.keySet());
      }
    }
  }

  private UnrecoverableException outOfRange(OffsetOutOfRangeException e) {
    Map<TopicPartition, Long> bad = e.offsetOutOfRangePartitions();
    if (bad.isEmpty()) {
      return new UnrecoverableException("offset out of range in topic '" + topic + "'", e);
    }
    Map.Entry<TopicPartition, Long> first = bad.entrySet().iterator().next();
    TopicPartition tp = first.getKey();
    String detail = "";
    try {
      long logStart = consumer.beginningOffsets(List.of(tp), Duration.ofSeconds(5)).get(tp);
      long logEnd = consumer.endOffsets(List.of(tp), Duration.ofSeconds(5)).get(tp);
      detail = "the log now starts at " + logStart + " and ends at " + logEnd;
    } catch (RuntimeException ignored) {
      // the offsets are a detail of the message only
    }
    if (bad.size() > 1) {
      detail += (detail.isEmpty() ? "" : "; ") + "also out of range: " + bad;
    }
    return new KafkaOffsetOutOfRangeException(topic, tp.partition(), first.getValue(), detail, e);
  }

  // ------------------------------------------------------------------------------ offset reset

  /** Where the (non-FAIL) reset policy continues, given the partition's current log bounds. */
  private long resetTarget(long logStart, long logEnd) {
    return switch (settings.offsetResetPolicy()) {
      case EARLIEST -> logStart;
      case LATEST -> logEnd;
      case FAIL -> throw new IllegalStateException("no reset with policy FAIL");
    };
  }

  /**
   * Moves every partition whose fetch offset fell out of the log to the reset policy's offset,
   * keeping its checkpointed offset in step and ending it when bounded and at its end offset.
   */
  private void resetOutOfRange(OffsetOutOfRangeException e) {
    Map<TopicPartition, Long> missing = new LinkedHashMap<>();
    for (Map.Entry<TopicPartition, Long> bad : e.offsetOutOfRangePartitions().entrySet()) {
      Integer slot = slotByPartition.get(bad.getKey().partition());
      if (topic.equals(bad.getKey().topic()) && slot != null && !done[slot]) {
        missing.put(partitions[slot], bad.getValue());
      }
    }
    boolean named = !missing.isEmpty();
    if (!named) {
      // The exception names no partition we read: check the positions of all of them.
      for (int slot = 0; slot < partitions.length; slot++) {
        if (!done[slot]) {
          missing.put(partitions[slot], consumer.position(partitions[slot]));
        }
      }
    }
    List<TopicPartition> tps = new ArrayList<>(missing.keySet());
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(tps, METADATA_TIMEOUT);
    Map<TopicPartition, Long> end = consumer.endOffsets(tps, METADATA_TIMEOUT);
    int reset = 0;
    for (Map.Entry<TopicPartition, Long> m : missing.entrySet()) {
      TopicPartition tp = m.getKey();
      long offset = m.getValue();
      long logStart = beginning.get(tp);
      long logEnd = end.get(tp);
      if (!named && offset >= logStart && offset <= logEnd) {
        continue; // still in the log
      }
      int slot = slotByPartition.get(tp.partition());
      long target = resetTarget(logStart, logEnd);
      consumer.seek(tp, target);
      boolean finished = settings.bounded() && target >= endOffsets[slot];
      long resumeAt = finished ? endOffsets[slot] : target;
      nextOffsets[slot] = resumeAt;
      if (finished) {
        done[slot] = true;
        partitionsLeft--;
        consumer.pause(List.of(tp));
      }
      reportReset(tp, offset, resumeAt, logStart, logEnd, "while reading", finished);
      reset++;
    }
    if (reset == 0) {
      throw outOfRange(e); // nothing to reset: do not loop on an error we cannot place
    }
    if (settings.bounded() && partitionsLeft == 0) {
      LOG.info("{}: reached the end offsets of topic '{}' partitions {}", name(), topic,
          slotByPartition.keySet());
    }
  }

  /** The mandatory WARN of a reset, and the skipped-offsets metric. */
  private void reportReset(TopicPartition tp, long missing, long resumeAt, long logStart,
      long logEnd, String when, boolean finished) {
    long skipped = Math.max(0, resumeAt - missing);
    String movement = resumeAt >= missing
        ? "skipping " + skipped + " offsets (" + missing + " to " + (resumeAt - 1) + ")"
        : "going back " + (missing - resumeAt) + " offsets (the log was truncated below the "
            + "missing offset): records now at offsets " + resumeAt + " to " + (missing - 1)
            + " are read";
    if (resumeAt == missing) {
      movement = "skipping 0 offsets";
    }
    LOG.warn("{}: offset {} of topic '{}' partition {} no longer exists ({}; the log now starts "
        + "at {} and ends at {}). Offset reset policy {}: continuing from offset {}, {}{}.",
        name(), missing, topic, tp.partition(), when, logStart, logEnd,
        settings.offsetResetPolicy(), resumeAt, movement,
        finished ? "; the partition is done (its bounded end offset " + resumeAt + ")" : "");
    if (skipped > 0) {
      offsetsSkipped += skipped;
      sourceOffsetsSkipped.add(skipped);
    }
  }

  // -------------------------------------------------------------------------------- checkpoints

  @Override
  public byte[] snapshotState(long checkpointId) {
    Map<Integer, Long> offsets = new LinkedHashMap<>();
    for (int slot = 0; slot < partitions.length; slot++) {
      offsets.put(partitions[slot].partition(), nextOffsets[slot]);
    }
    if (settings.groupId() != null && partitions.length > 0) {
      pendingCommits.put(checkpointId, nextOffsets.clone());
      if (pendingCommits.size() > MAX_PENDING_COMMITS) {
        Iterator<Long> oldest = pendingCommits.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
    }
    boolean hasId = topicId != null;
    return new OffsetsState(topic, hasId ? topicId.getMostSignificantBits() : 0,
        hasId ? topicId.getLeastSignificantBits() : 0, hasId, offsets).encode();
  }

  /** Commits the checkpoint's offsets to the consumer group, if any, for lag monitoring only. */
  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    if (settings.groupId() == null || closed) {
      return;
    }
    long[] offsets = pendingCommits.get(checkpointId);
    pendingCommits.keySet().removeIf(id -> id <= checkpointId);
    if (offsets == null) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    for (int slot = 0; slot < partitions.length; slot++) {
      if (offsets[slot] > commitRequested[slot]) { // never move a committed offset backwards
        commit.put(partitions[slot], new OffsetAndMetadata(offsets[slot],
            "sluice checkpoint " + checkpointId));
        commitRequested[slot] = offsets[slot];
      }
    }
    if (!commit.isEmpty()) {
      consumer.commitAsync(commit, (committed, error) -> {
        if (error != null) {
          LOG.warn("{}: committing checkpoint {} offsets to group '{}' failed (monitoring only, "
              + "reading is unaffected): {}", name(), checkpointId, settings.groupId(),
              error.toString());
        }
      });
    }
  }

  // ----------------------------------------------------------------------------------- metrics

  private void publishLag(boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastLagPublish < LAG_PUBLISH_INTERVAL_NANOS) {
      return;
    }
    lastLagPublish = now;
    Map<Integer, Long> current = new HashMap<>();
    for (int slot = 0; slot < partitions.length; slot++) {
      OptionalLong fetched = consumer.currentLag(partitions[slot]);
      long value = fetched.isPresent() ? fetched.getAsLong()
          : Math.max(0, endOffsets[slot] - nextOffsets[slot]);
      current.put(partitions[slot].partition(), value);
    }
    lag = Collections.unmodifiableMap(current);
  }

  @Override
  public long recordsRead() {
    return recordsRead;
  }

  @Override
  public Map<Integer, Long> partitionLag() {
    return lag;
  }

  @Override
  public long offsetsSkippedByReset() {
    return offsetsSkipped;
  }

  /** The partitions this reader owns, ascending. */
  public List<Integer> ownedPartitions() {
    List<Integer> owned = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      owned.add(tp.partition());
    }
    return owned;
  }

  /** The next offset of each owned partition (what a snapshot now would hold). */
  public Map<Integer, Long> nextOffsets() {
    Map<Integer, Long> offsets = new LinkedHashMap<>();
    for (int slot = 0; slot < partitions.length; slot++) {
      offsets.put(partitions[slot].partition(), nextOffsets[slot]);
    }
    return offsets;
  }

  // ------------------------------------------------------------------------------------- close

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (consumer != null) {
        consumer.close(Duration.ofSeconds(5));
      }
    } finally {
      onClose.accept(this);
    }
  }

  @Override
  public String toString() {
    return name() + " " + nextOffsets();
  }
}
