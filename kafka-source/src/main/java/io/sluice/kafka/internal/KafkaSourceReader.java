package io.sluice.kafka.internal;

import io.sluice.engine.UnrecoverableException;
import io.sluice.engine.row.Row;
import io.sluice.engine.source.InputStatus;
import io.sluice.engine.source.Output;
import io.sluice.engine.source.SourceContext;
import io.sluice.engine.source.SourceReader;
import io.sluice.kafka.KafkaOffsetOutOfRangeException;
import io.sluice.kafka.KafkaSourceException;
import io.sluice.kafka.MalformedRecordPolicy;
import io.sluice.kafka.OffsetResetPolicy;
import io.sluice.kafka.StartPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One parallel instance of {@link io.sluice.kafka.KafkaSource}: reads the partitions the {@link
 * PartitionAssigner} gives its subtask, with {@code assign()} and {@code read_committed}.
 *
 * <p>Its state is the next offset of every owned partition, taken from {@code
 * consumer.position()} after all records a poll returned were emitted, so it covers exactly those
 * records and already steps over transaction markers and aborted records.
 *
 * <p>While it runs unbounded, the partitions the {@link TopicWatcher} discovers are added: those
 * this subtask owns are read from their earliest offset. Such a partition enters the state once
 * the consumer resolved that offset; before, a restore reads it from its earliest offset anyway,
 * as every partition a checkpoint does not know.
 *
 * <p>An offset to read that is no longer in the log (at open or while polling) fails the reader
 * with {@link KafkaOffsetOutOfRangeException}, unless the source's {@link OffsetResetPolicy} says
 * to continue from the log start or end; such a reset is logged as a WARN, counted in {@link
 * #offsetsSkippedByReset()} and moves the checkpointed offset with it.
 *
 * <p>A record the deserializer cannot read is failed on, skipped or dead-lettered as the source's
 * {@link MalformedRecordPolicy} says ({@link RecordDecoder}); either way it counts as read.
 */
public final class KafkaSourceReader implements SourceReader<Row> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSourceReader.class);
  private static final long LAG_PUBLISH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final SourceSettings settings;
  private final SourceContext context;
  private final PartitionAssigner assigner;
  private final TopicWatcher watcher;
  private final SourceCounters counters;
  private final Consumer<KafkaSourceReader> onClose;
  private final RecordDecoder decoder;
  private final String topic;
  private final GroupOffsetCommitter groupCommitter;

  private KafkaConsumer<byte[], byte[]> consumer;
  private Uuid topicId;
  /** The topic's partitions this reader knows of: those at open, and those discovered since. */
  private int knownPartitions;
  /** The owned partitions by number. */
  private final TreeMap<Integer, PartitionCursor> cursors = new TreeMap<>();
  private int partitionsLeft;

  private volatile long recordsRead;
  private volatile long offsetsSkipped;
  private volatile Map<Integer, Long> lag = Map.of();
  private volatile Map<Integer, Long> positions = Map.of();
  private long lastLagPublish;
  private boolean opened;
  private boolean watching;
  private boolean closed;

  public KafkaSourceReader(SourceSettings settings, SourceContext context,
      PartitionAssigner assigner, TopicWatcher watcher, SourceCounters counters,
      Consumer<KafkaSourceReader> onClose) {
    if (context.parallelism() < 1 || context.subtaskIndex() < 0
        || context.subtaskIndex() >= context.parallelism()) {
      throw new IllegalArgumentException("bad source context " + context);
    }
    this.settings = settings;
    this.context = context;
    this.assigner = assigner;
    this.watcher = watcher;
    this.counters = counters;
    this.onClose = onClose;
    this.topic = settings.topic();
    this.decoder = new RecordDecoder(settings.deserializer(), settings.malformedRecordPolicy(),
        context.pipelineId(), name(), counters);
    this.groupCommitter = settings.groupId() == null ? null
        : new GroupOffsetCommitter(settings.groupId(), name());
  }

  // -------------------------------------------------------------------------------------- open

  @Override
  public void open(List<byte[]> restoredStates) {
    if (opened) {
      throw new IllegalStateException("reader already opened");
    }
    opened = true;
    TopicDescription description = TopicMetadata.describe(settings, clientId() + "-admin");
    topicId = description.topicId();
    knownPartitions = description.partitions().size();
    boolean restoring = !restoredStates.isEmpty();
    Map<Integer, Long> restored = restoredOffsets(restoredStates);
    List<TopicPartition> owned = ownedAmong(0, knownPartitions);

    consumer = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    try {
      seekOwnedPartitions(owned, restoring, restored);
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      consumer = null;
      throw e;
    }
    watcher.retain(context.pipelineId());
    watching = true;
  }

  /** The partitions among {@code [from, to)} that this subtask owns, ascending. */
  private List<TopicPartition> ownedAmong(int from, int to) {
    List<TopicPartition> owned = new ArrayList<>();
    for (int p = from; p < to; p++) {
      if (assigner.ownerOf(p, context.parallelism()) == context.subtaskIndex()) {
        owned.add(new TopicPartition(topic, p));
      }
    }
    return owned;
  }

  /** Seeks every owned partition to its restored or start offset. */
  private void seekOwnedPartitions(List<TopicPartition> owned, boolean restoring,
      Map<Integer, Long> restored) {
    if (owned.isEmpty()) {
      LOG.info("{}: no partition of topic '{}' ({} partitions) is owned by this subtask", name(),
          topic, knownPartitions);
      return;
    }
    Duration timeout = settings.metadataTimeout();
    consumer.assign(owned);
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(owned, timeout);
    Map<TopicPartition, Long> end = consumer.endOffsets(owned, timeout);
    Map<TopicPartition, OffsetAndTimestamp> byTime = Map.of();
    StartPosition start = settings.startPosition();
    if (!restoring && start.kind() == StartPosition.Kind.TIMESTAMP) {
      Map<TopicPartition, Long> query = new HashMap<>();
      for (TopicPartition tp : owned) {
        query.put(tp, start.timestampMillis());
      }
      byTime = consumer.offsetsForTimes(query, timeout);
    }

    Map<Integer, String> origin = new LinkedHashMap<>();
    for (TopicPartition tp : owned) {
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
      long stop = boundedEnd(p, offset, logEnd);
      if (offset < logStart && !(settings.bounded() && offset >= stop)) {
        if (settings.offsetResetPolicy() == OffsetResetPolicy.FAIL) {
          throw new KafkaOffsetOutOfRangeException(topic, p, offset, "from " + from
              + "; the log starts at " + logStart + " and ends at " + logEnd, null);
        }
        long missing = offset;
        offset = resetTarget(logStart, logEnd);
        reportReset(tp, missing, offset, logStart, logEnd, "at open, from " + from,
            settings.bounded() && offset >= stop);
        from += ", reset to " + settings.offsetResetPolicy().name().toLowerCase() + " from "
            + missing;
      }
      consumer.seek(tp, offset);
      PartitionCursor cursor = new PartitionCursor(tp, offset, stop);
      cursors.put(p, cursor);
      if (settings.bounded() && offset >= stop) {
        cursor.done = true;
      } else {
        partitionsLeft++;
      }
      origin.put(p, offset + " (" + from + ")");
    }
    if (settings.bounded()) {
      consumer.pause(cursors.values().stream().filter(c -> c.done).map(c -> c.partition)
          .toList());
    }
    publishLag(true);
    LOG.info("{}: reading topic '{}' partitions {} from offsets {}{}", name(), topic,
        cursors.keySet(), origin, settings.bounded() ? ", bounded by end offsets "
            + endOffsets() : "");
  }

  /**
   * Where a bounded reader stops in partition {@code p}: its stop offset when the source has
   * them (not listed: where it starts, so it reads nothing), else the end offset seen at open.
   */
  private long boundedEnd(int p, long start, long logEnd) {
    return settings.stopOffsets() == null ? logEnd
        : settings.stopOffsets().getOrDefault(p, start);
  }

  private Map<Integer, Long> endOffsets() {
    Map<Integer, Long> ends = new LinkedHashMap<>();
    cursors.forEach((p, cursor) -> ends.put(p, cursor.endOffset));
    return ends;
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
    if (settings.discoversPartitions()) {
      addDiscoveredPartitions();
    }
    if (cursors.isEmpty()) {
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
    } catch (AuthenticationException | AuthorizationException e) {
      throw TopicMetadata.refusal(e, settings);
    }
    long read = 0;
    long bytes = 0;
    for (TopicPartition tp : records.partitions()) {
      PartitionCursor cursor = cursors.get(tp.partition());
      long stop = settings.bounded() ? cursor.endOffset : Long.MAX_VALUE;
      for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
        if (record.offset() >= stop) {
          break; // bounded: beyond the end offsets seen at open
        }
        bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
        decoder.decode(record, output);
        read++;
      }
    }
    updatePositions();
    if (read > 0) {
      recordsRead += read;
      counters.recordsRead.add(read);
      counters.bytesRead.add(bytes);
    }
    publishLag(settings.bounded() && partitionsLeft == 0); // the final offsets, at once
    if (read > 0) {
      return InputStatus.MORE_AVAILABLE;
    }
    if (settings.bounded() && partitionsLeft == 0) {
      return InputStatus.END_OF_INPUT;
    }
    return InputStatus.NOTHING_AVAILABLE;
  }

  /**
   * Starts reading the partitions the watcher found beyond those known, if this subtask owns
   * them: from their earliest offset, which the next poll resolves without blocking this one.
   */
  private void addDiscoveredPartitions() {
    int count = watcher.partitionCount();
    if (count <= knownPartitions) {
      return;
    }
    List<TopicPartition> added = ownedAmong(knownPartitions, count);
    knownPartitions = count;
    if (added.isEmpty()) {
      return;
    }
    for (TopicPartition tp : added) {
      cursors.put(tp.partition(), PartitionCursor.discovered(tp));
    }
    consumer.assign(cursors.values().stream().map(c -> c.partition).toList());
    consumer.seekToBeginning(added);
    LOG.info("{}: reading the new partitions {} of topic '{}' from their earliest offsets",
        name(), added.stream().map(TopicPartition::partition).toList(), topic);
  }

  /**
   * Takes each partition's position after the emitted records. The position may be past the last
   * record (transaction markers, aborted records), which is where reading must resume. A
   * discovered partition whose start the consumer has not resolved yet keeps no position.
   */
  private void updatePositions() {
    List<TopicPartition> finished = new ArrayList<>();
    for (PartitionCursor cursor : cursors.values()) {
      if (cursor.done) {
        continue;
      }
      long position;
      if (cursor.resolved()) {
        position = consumer.position(cursor.partition);
      } else {
        try {
          position = consumer.position(cursor.partition, Duration.ZERO);
        } catch (TimeoutException notYet) {
          continue;
        }
      }
      if (settings.bounded() && position >= cursor.endOffset) {
        position = cursor.endOffset; // records past the end were fetched but not emitted
        cursor.done = true;
        partitionsLeft--;
        finished.add(cursor.partition);
      }
      cursor.nextOffset = position;
    }
    if (!finished.isEmpty()) {
      consumer.pause(finished);
      if (partitionsLeft == 0) {
        LOG.info("{}: reached the end offsets of topic '{}' partitions {}", name(), topic,
            cursors.keySet());
      }
    }
  }

  private UnrecoverableException outOfRange(OffsetOutOfRangeException e) {
    Map<TopicPartition, Long> bad = e.offsetOutOfRangePartitions();
    if (bad.isEmpty()) {
      return new KafkaSourceException("offset out of range in topic '" + topic + "'", e);
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
      PartitionCursor cursor = cursors.get(bad.getKey().partition());
      if (topic.equals(bad.getKey().topic()) && cursor != null && !cursor.done) {
        missing.put(cursor.partition, bad.getValue());
      }
    }
    boolean named = !missing.isEmpty();
    if (!named) {
      // The exception names no partition we read: check the positions of all of them.
      for (PartitionCursor cursor : cursors.values()) {
        if (!cursor.done && cursor.resolved()) {
          missing.put(cursor.partition, consumer.position(cursor.partition));
        }
      }
    }
    List<TopicPartition> tps = new ArrayList<>(missing.keySet());
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(tps, settings.metadataTimeout());
    Map<TopicPartition, Long> end = consumer.endOffsets(tps, settings.metadataTimeout());
    int reset = 0;
    for (Map.Entry<TopicPartition, Long> m : missing.entrySet()) {
      TopicPartition tp = m.getKey();
      long offset = m.getValue();
      long logStart = beginning.get(tp);
      long logEnd = end.get(tp);
      if (!named && offset >= logStart && offset <= logEnd) {
        continue; // still in the log
      }
      PartitionCursor cursor = cursors.get(tp.partition());
      long target = resetTarget(logStart, logEnd);
      consumer.seek(tp, target);
      boolean finished = settings.bounded() && target >= cursor.endOffset;
      long resumeAt = finished ? cursor.endOffset : target;
      cursor.nextOffset = resumeAt;
      if (finished) {
        cursor.done = true;
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
          cursors.keySet());
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
      counters.offsetsSkippedByReset.add(skipped);
    }
  }

  // -------------------------------------------------------------------------------- checkpoints

  @Override
  public byte[] snapshotState(long checkpointId) {
    Map<Integer, Long> offsets = nextOffsets();
    if (groupCommitter != null) {
      Map<TopicPartition, Long> byPartition = new HashMap<>();
      offsets.forEach((p, offset) -> byPartition.put(new TopicPartition(topic, p), offset));
      groupCommitter.snapshotTaken(checkpointId, byPartition);
    }
    boolean hasId = topicId != null;
    return new OffsetsState(topic, hasId ? topicId.getMostSignificantBits() : 0,
        hasId ? topicId.getLeastSignificantBits() : 0, hasId, offsets).encode();
  }

  /** Commits the checkpoint's offsets to the consumer group, if any, for lag monitoring only. */
  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    if (groupCommitter != null && !closed) {
      groupCommitter.checkpointCompleted(checkpointId, consumer);
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
    for (PartitionCursor cursor : cursors.values()) {
      OptionalLong fetched = consumer.currentLag(cursor.partition);
      if (fetched.isPresent()) {
        current.put(cursor.partition.partition(), fetched.getAsLong());
      } else if (cursor.resolved() && cursor.endOffset >= 0) {
        current.put(cursor.partition.partition(),
            Math.max(0, cursor.endOffset - cursor.nextOffset));
      }
    }
    lag = Collections.unmodifiableMap(current);
    positions = Collections.unmodifiableMap(nextOffsets());
  }

  /**
   * The next offset to read of each owned partition whose start is resolved, as of the latest
   * lag publication (at most a second old while reading); for status pages, from any thread.
   */
  public Map<Integer, Long> partitionPositions() {
    return positions;
  }

  /** Records this reader read: each became a row, or was skipped or dead-lettered. */
  public long recordsRead() {
    return recordsRead;
  }

  /**
   * Records behind the end of each owned partition (end offset - position, as of the latest
   * fetch), by partition number; partitions whose lag is not known yet are absent.
   */
  public Map<Integer, Long> partitionLag() {
    return lag;
  }

  /** Offsets this reader skipped by its offset reset policy. */
  public long offsetsSkippedByReset() {
    return offsetsSkipped;
  }

  /** The partitions this reader owns, ascending. */
  public List<Integer> ownedPartitions() {
    return new ArrayList<>(cursors.keySet());
  }

  /**
   * The next offset of each owned partition (what a snapshot now would hold): all but the
   * discovered partitions whose start is not resolved yet.
   */
  public Map<Integer, Long> nextOffsets() {
    Map<Integer, Long> offsets = new LinkedHashMap<>();
    cursors.forEach((p, cursor) -> {
      if (cursor.resolved()) {
        offsets.put(p, cursor.nextOffset);
      }
    });
    return offsets;
  }

  // ------------------------------------------------------------------------------------- close

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (consumer != null) {
      positions = Collections.unmodifiableMap(nextOffsets()); // the final ones
    }
    try {
      if (watching) {
        watcher.release();
      }
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
