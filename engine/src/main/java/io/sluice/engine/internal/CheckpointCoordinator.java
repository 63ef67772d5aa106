package io.sluice.engine.internal;

import io.sluice.engine.JobStatus;
import java.time.Duration;
import java.time.Instant;

import io.sluice.engine.JobConfig;
import io.sluice.engine.internal.checkpoint.CheckpointMetadata;
import io.sluice.engine.internal.checkpoint.CheckpointStorage;
import io.sluice.engine.internal.checkpoint.OperatorState;
import io.sluice.engine.internal.checkpoint.OperatorSubtaskState;
import io.sluice.engine.internal.checkpoint.PendingCommits;
import io.sluice.engine.internal.checkpoint.StateAssignment;
import io.sluice.engine.internal.graph.JobGraph;
import io.sluice.engine.internal.graph.StreamNode;
import io.sluice.engine.internal.operators.SinkCommittables;
import io.sluice.engine.internal.runtime.SourceTask;
import io.sluice.engine.internal.runtime.Task;
import io.sluice.engine.internal.runtime.TaskSnapshot;
import io.sluice.engine.internal.state.KeyedStateHandle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint protocol of one attempt, one checkpoint at a time: trigger N at the source tasks,
 * collect every task's acknowledgement, write the metadata durably, apply retention, and tell
 * every task that N is complete. The next checkpoint is triggered only once every task heard it,
 * so no snapshot can build on files retention already deleted. Committing is not its job: a
 * completed checkpoint is handed back with its commits ({@link Completed}).
 */
final class CheckpointCoordinator {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);

  /** Why a checkpoint is taken. */
  enum Type {
    PERIODIC,
    /** After all input ended: the last checkpoint of a bounded job. */
    FINAL,
    /**
     * The last checkpoint of a stop with a final checkpoint or a savepoint: the sources read
     * nothing after it.
     */
    STOP
  }

  /**
   * A checkpoint that is durable, with each sink's commit (committables of all its writers) and
   * the number of records they hold.
   */
  record Completed(
      CheckpointMetadata metadata,
      Type type,
      Map<String, PendingCommits.Commit> commits,
      long records,
      long startedNanos,
      long completedNanos) {
    long id() {
      return metadata.checkpointId();
    }

    /** Its statistics, committed {@code commitNanos} after it completed. */
    JobStatus.CheckpointStats stats(long commitNanos) {
      long stateSize = 0;
      long written = 0;
      for (KeyedStateHandle handle : metadata.keyedStateHandles()) {
        stateSize += handle.stateSize();
        written += handle.checkpointedSize();
      }
      return new JobStatus.CheckpointStats(
          id(),
          Instant.ofEpochMilli(metadata.timestampMillis()),
          Duration.ofNanos(completedNanos - startedNanos),
          Duration.ofNanos(commitNanos),
          stateSize,
          written,
          records);
    }
  }

  private static final class Pending {
    final long id;
    final long startNanos;
    final Type type;
    final TaskSnapshot[] acks;
    int ackCount;

    Pending(long id, long startNanos, Type type, int tasks) {
      this.id = id;
      this.startNanos = startNanos;
      this.type = type;
      this.acks = new TaskSnapshot[tasks];
    }
  }

  private final JobGraph graph;
  private final ExecutionGraph deployment;
  private final CheckpointStorage storage;
  private final JobConfig config;
  private final String lineage;
  private final int maxParallelism;
  private long nextCheckpointId;
  private Pending pending;
  private long notifiedCheckpoint = -1;
  private int notificationsOutstanding;

  CheckpointCoordinator(
      JobGraph graph,
      ExecutionGraph deployment,
      CheckpointStorage storage,
      JobConfig config,
      StateAssignment restored) {
    this.graph = graph;
    this.deployment = deployment;
    this.storage = storage;
    this.config = config;
    this.lineage = restored.lineage();
    this.maxParallelism = restored.maxParallelism();
    this.nextCheckpointId = restored.checkpointId() < 0 ? 1 : restored.checkpointId() + 1;
  }

  /** No checkpoint in flight, and every task heard of the last completed one. */
  boolean canTrigger() {
    return pending == null && notificationsOutstanding == 0;
  }

  /** Nanos at which the pending checkpoint times out, or Long.MAX_VALUE when none is pending. */
  long pendingDeadline() {
    return pending == null
        ? Long.MAX_VALUE
        : pending.startNanos + config.checkpointTimeout().toNanos();
  }

  long trigger(long nowNanos, Type type) {
    long id = nextCheckpointId++;
    LOG.debug("triggering {} checkpoint {}", type.name().toLowerCase(java.util.Locale.ROOT), id);
    pending = new Pending(id, nowNanos, type, deployment.tasks().size());
    for (SourceTask task : deployment.sourceTasks()) {
      task.triggerCheckpoint(id, type == Type.STOP);
    }
    return id;
  }

  void checkTimeout(long nowNanos) throws TimeoutException {
    if (pending != null && nowNanos - pending.startNanos >= config.checkpointTimeout().toNanos()) {
      throw new TimeoutException(
          "checkpoint " + pending.id + " did not complete within " + config.checkpointTimeout()
              + " (" + pending.ackCount + " of " + pending.acks.length + " tasks acknowledged)");
    }
  }

  /**
   * Records a task's acknowledgement; when it is the last one, writes the checkpoint and returns
   * it, else returns null.
   *
   * @param pendingCommits the encoded commits of a sink still unconfirmed before a checkpoint id
   */
  Completed acknowledge(
      int task, long checkpointId, TaskSnapshot snapshot,
      BiFunction<String, Long, byte[]> pendingCommits)
      throws IOException {
    if (pending == null || checkpointId != pending.id) {
      LOG.warn("ignoring unexpected acknowledgement of checkpoint {}", checkpointId);
      return null;
    }
    if (pending.acks[task] == null) {
      pending.acks[task] = snapshot;
      pending.ackCount++;
    }
    if (pending.ackCount < pending.acks.length) {
      return null;
    }
    Pending p = pending;
    pending = null;
    Completed completed = complete(p, pendingCommits);
    notifiedCheckpoint = p.id;
    notificationsOutstanding = deployment.tasks().size();
    for (Task t : deployment.tasks()) {
      t.notifyCheckpointComplete(p.id);
    }
    logCompleted(completed.stats(0));
    return completed;
  }

  /** Checkpoints with keyed state are logged with its size, the others only for debugging. */
  private static void logCompleted(JobStatus.CheckpointStats stats) {
    if (stats.stateBytes() == 0) {
      LOG.debug("checkpoint {} complete in {} ms", stats.id(), stats.duration().toMillis());
    } else {
      LOG.info(
          "checkpoint {} complete in {} ms: keyed state {} MiB, {} MiB written",
          stats.id(), stats.duration().toMillis(), mebibytes(stats.stateBytes()),
          mebibytes(stats.writtenBytes()));
    }
  }

  private static String mebibytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
  }

  void checkpointCompleteProcessed(long checkpointId) {
    if (checkpointId == notifiedCheckpoint && notificationsOutstanding > 0) {
      notificationsOutstanding--;
    }
  }

  private Completed complete(Pending p, BiFunction<String, Long, byte[]> pendingCommits)
      throws IOException {
    Map<String, OperatorState> operators = new LinkedHashMap<>();
    Map<String, PendingCommits.Commit> commits = new LinkedHashMap<>();
    long records = 0;
    for (JobGraph.Stage stage : graph.stages()) {
      for (JobGraph.ChainMember member : stage.members()) {
        List<OperatorSubtaskState> subtasks = new ArrayList<>(stage.parallelism());
        for (int i = 0; i < stage.parallelism(); i++) {
          OperatorSubtaskState s =
              p.acks[deployment.taskOf(stage.id(), i)].operators().get(member.operatorId());
          subtasks.add(s == null ? OperatorSubtaskState.EMPTY : s);
        }
        byte[] coordinatorState = null;
        if (member.node().kind() == StreamNode.Kind.SINK) {
          coordinatorState = pendingCommits.apply(member.operatorId(), p.id);
          PendingCommits.Commit commit = sinkCommit(p.id, subtasks);
          records += commit.records();
          commits.put(member.operatorId(), commit);
        }
        operators.put(
            member.operatorId(),
            new OperatorState(member.operatorId(), member.node().kind(), coordinatorState, subtasks));
      }
    }
    CheckpointMetadata meta =
        new CheckpointMetadata(
            config.pipelineId(),
            lineage,
            p.id,
            System.currentTimeMillis(),
            CheckpointMetadata.Kind.CHECKPOINT,
            maxParallelism,
            operators);
    storage.write(meta);
    try {
      storage.retain(config.checkpointsRetained());
    } catch (IOException e) {
      LOG.warn("could not delete old checkpoints in {}", storage.directory(), e);
    }
    return new Completed(meta, p.type, commits, records, p.startNanos, System.nanoTime());
  }

  private static PendingCommits.Commit sinkCommit(long id, List<OperatorSubtaskState> subtasks)
      throws IOException {
    long records = 0;
    List<byte[]> committables = new ArrayList<>();
    for (OperatorSubtaskState s : subtasks) {
      if (s.operatorState() != null) {
        SinkCommittables c = SinkCommittables.decode(s.operatorState());
        records += c.records();
        committables.addAll(c.committables());
      }
    }
    return new PendingCommits.Commit(id, records, committables);
  }
}
