package io.sluice.kafka.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the offsets of completed checkpoints to a consumer group, for lag monitoring only: the
 * checkpoint, never the group, decides where reading resumes. It keeps the offsets of the latest
 * {@value #MAX_PENDING} snapshots until their checkpoint completes, and never moves a partition's
 * committed offset backwards.
 */
final class GroupOffsetCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(GroupOffsetCommitter.class);
  private static final int MAX_PENDING = 64;

  private final String groupId;
  private final String readerName;
  private final LinkedHashMap<Long, Map<TopicPartition, Long>> pending = new LinkedHashMap<>();
  private final Map<TopicPartition, Long> requested = new HashMap<>();

  GroupOffsetCommitter(String groupId, String readerName) {
    this.groupId = groupId;
    this.readerName = readerName;
  }

  /** Remembers the offsets of checkpoint {@code checkpointId}'s snapshot. */
  void snapshotTaken(long checkpointId, Map<TopicPartition, Long> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    pending.put(checkpointId, offsets);
    if (pending.size() > MAX_PENDING) {
      Iterator<Long> oldest = pending.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** Commits the snapshot's offsets of {@code checkpointId}, asynchronously; failures are logged. */
  void checkpointCompleted(long checkpointId, KafkaConsumer<?, ?> consumer) {
    Map<TopicPartition, Long> offsets = pending.get(checkpointId);
    pending.keySet().removeIf(id -> id <= checkpointId);
    if (offsets == null) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    offsets.forEach((partition, offset) -> {
      if (offset > requested.getOrDefault(partition, -1L)) {
        commit.put(partition, new OffsetAndMetadata(offset, "sluice checkpoint " + checkpointId));
        requested.put(partition, offset);
      }
    });
    if (!commit.isEmpty()) {
      consumer.commitAsync(commit, (committed, error) -> {
        if (error != null) {
          LOG.warn("{}: committing checkpoint {} offsets to group '{}' failed (monitoring only, "
              + "reading is unaffected): {}", readerName, checkpointId, groupId, error.toString());
        }
      });
    }
  }
}
