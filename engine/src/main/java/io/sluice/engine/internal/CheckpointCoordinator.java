package io.sluice.engine.internal;

import io.sluice.engine.JobConfig;
import io.sluice.engine.internal.checkpoint.CheckpointMetadata;
import io.sluice.engine.internal.checkpoint.CheckpointStorage;
import io.sluice.engine.internal.graph.JobGraph;
import io.sluice.engine.internal.graph.Stage;
import io.sluice.engine.internal.graph.TerminalSpec;
import io.sluice.engine.internal.runtime.SourceTask;
import io.sluice.engine.internal.runtime.Task;
import io.sluice.engine.internal.runtime.TaskListener;
import io.sluice.engine.internal.runtime.TaskSnapshot;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives checkpoints for one execution attempt, in the coordinator thread. One checkpoint at a
 * time: trigger N at the source tasks, collect every task's acknowledgement, write the metadata
 * atomically, retain, commit N with each sink's committer, notify the sources, and only then
 * trigger N+1. When all sources reached their end, a final checkpoint is taken and the tasks are
 * told to end. Task failures, timeouts and commit errors end the attempt.
 */
final class CheckpointCoordinator implements TaskListener {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);
  private static final long MAX_WAIT_NANOS = 100_000_000L;

  private sealed interface Event {}

  private record Ack(int task, long checkpointId, TaskSnapshot snapshot) implements Event {}

  private record SourceFinished(int task) implements Event {}

  private record TaskFinished(int task) implements Event {}

  private record TaskFailed(int task, Throwable cause) implements Event {}

  private record Stop() implements Event {}

  private static final class Pending {
    final long id;
    final long startNanos;
    final boolean isFinal;
    final TaskSnapshot[] acks;
    int ackCount;

    Pending(long id, long startNanos, boolean isFinal, int tasks) {
      this.id = id;
      this.startNanos = startNanos;
      this.isFinal = isFinal;
      this.acks = new TaskSnapshot[tasks];
    }
  }

  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final JobRunner runner;
  private final JobGraph graph;
  private final JobConfig config;
  private final CheckpointStorage storage;
  private final ExecutionAttempt.Deployment deployment;
  private long nextCheckpointId;

  CheckpointCoordinator(JobRunner runner, ExecutionAttempt.Deployment deployment, long firstId) {
    this.runner = runner;
    this.graph = runner.graph();
    this.config = runner.config();
    this.storage = runner.storage();
    this.deployment = deployment;
    this.nextCheckpointId = firstId;
  }

  void requestStop() {
    events.add(new Stop());
  }

  // ---- TaskListener (task threads) ----

  @Override
  public void acknowledgeCheckpoint(int taskIndex, long checkpointId, TaskSnapshot snapshot) {
    events.add(new Ack(taskIndex, checkpointId, snapshot));
  }

  @Override
  public void sourceFinished(int taskIndex) {
    events.add(new SourceFinished(taskIndex));
  }

  @Override
  public void taskFinished(int taskIndex) {
    events.add(new TaskFinished(taskIndex));
  }

  @Override
  public void taskFailed(int taskIndex, Throwable cause) {
    events.add(new TaskFailed(taskIndex, cause));
  }

  // ---- coordinator thread ----

  /**
   * Starts the deployed tasks and coordinates checkpoints until the attempt ends.
   *
   * @param pinStartPositions on a fresh start, checkpoint 1 is queued in the source mailboxes
   *     before any task runs, so it is taken right after the readers resolved their start
   *     positions (e.g. "latest"); sources read nothing until it is complete, so a restart or a
   *     crash resumes from there instead of resolving the start position anew
   */
  ExecutionAttempt.Outcome run(boolean pinStartPositions) throws Exception {
    final int taskCount = deployment.tasks.size();
    final int sourceCount = deployment.sourceTasks.size();
    final long intervalNanos = config.checkpointInterval().toNanos();
    final long timeoutNanos = config.checkpointTimeout().toNanos();
    long nextTrigger = System.nanoTime() + intervalNanos;
    BitSet sourcesFinished = new BitSet();
    Pending pending = pinStartPositions ? trigger(System.nanoTime(), false, taskCount) : null;
    for (Task task : deployment.tasks) {
      task.start("sluice-" + config.pipelineId() + "-" + task.name());
    }
    boolean endSent = false;
    int tasksFinished = 0;

    while (true) {
      if (runner.stopRequested()) {
        return new ExecutionAttempt.Outcome.Stopped();
      }
      long now = System.nanoTime();
      if (pending != null && now - pending.startNanos >= timeoutNanos) {
        throw new TimeoutException(
            "checkpoint " + pending.id + " did not complete within "
                + config.checkpointTimeout() + " (" + pending.ackCount + " of " + taskCount
                + " tasks acknowledged)");
      }
      if (pending == null && !endSent) {
        boolean allFinished = sourcesFinished.cardinality() == sourceCount;
        if (allFinished || now - nextTrigger >= 0) {
          pending = trigger(now, allFinished, taskCount);
          nextTrigger = now + intervalNanos;
        }
      }
      long wait;
      if (pending != null) {
        wait = pending.startNanos + timeoutNanos - now;
      } else if (endSent) {
        wait = MAX_WAIT_NANOS;
      } else {
        wait = nextTrigger - now;
      }
      Event event = events.poll(Math.max(0, Math.min(wait, MAX_WAIT_NANOS)), TimeUnit.NANOSECONDS);
      if (event == null) {
        continue;
      }
      if (event instanceof Ack ack) {
        if (pending == null || ack.checkpointId() != pending.id) {
          LOG.warn("ignoring unexpected acknowledgement of checkpoint {}", ack.checkpointId());
          continue;
        }
        if (pending.acks[ack.task()] == null) {
          pending.acks[ack.task()] = ack.snapshot();
          pending.ackCount++;
        }
        if (pending.ackCount == taskCount) {
          complete(pending);
          if (pending.isFinal) {
            for (SourceTask task : deployment.sourceTasks) {
              task.end();
            }
            endSent = true;
          }
          pending = null;
        }
      } else if (event instanceof SourceFinished sf) {
        sourcesFinished.set(sf.task());
        LOG.debug("source task {} reached end of input", sf.task());
      } else if (event instanceof TaskFinished) {
        tasksFinished++;
        if (tasksFinished == taskCount) {
          return new ExecutionAttempt.Outcome.Finished();
        }
      } else if (event instanceof TaskFailed failed) {
        LOG.warn(
            "task {} failed: {}",
            deployment.tasks.get(failed.task()).name(),
            failed.cause().toString());
        return new ExecutionAttempt.Outcome.Failed(failed.cause());
      } else if (event instanceof Stop) {
        return new ExecutionAttempt.Outcome.Stopped();
      }
    }
  }

  private Pending trigger(long now, boolean isFinal, int taskCount) {
    long id = nextCheckpointId++;
    LOG.debug("triggering {}checkpoint {}", isFinal ? "final " : "", id);
    Pending p = new Pending(id, now, isFinal, taskCount);
    for (SourceTask task : deployment.sourceTasks) {
      task.triggerCheckpoint(id);
    }
    return p;
  }

  private void complete(Pending p) throws Exception {
    Map<String, List<byte[]>> sourceStates = new LinkedHashMap<>();
    Map<String, List<List<byte[]>>> committables = new LinkedHashMap<>();
    long records = 0;
    for (TaskSnapshot s : p.acks) {
      records += s.recordsWritten();
    }
    for (Stage stage : graph.stages()) {
      int first = deployment.firstTask[stage.id()];
      if (stage.isSource()) {
        List<byte[]> states = new ArrayList<>(stage.parallelism());
        for (int i = 0; i < stage.parallelism(); i++) {
          states.add(p.acks[first + i].sourceState());
        }
        sourceStates.put(stage.name(), states);
      }
    }
    for (TerminalSpec.Sink sink : graph.sinks()) {
      Stage stage = sinkStage(sink);
      int first = deployment.firstTask[stage.id()];
      List<List<byte[]>> perSubtask = new ArrayList<>(stage.parallelism());
      for (int i = 0; i < stage.parallelism(); i++) {
        List<byte[]> c = p.acks[first + i].committables();
        perSubtask.add(c == null ? List.of() : c);
      }
      committables.put(sink.name(), perSubtask);
    }
    CheckpointMetadata meta =
        new CheckpointMetadata(
            config.pipelineId(),
            p.id,
            System.currentTimeMillis(),
            sourceStates,
            committables,
            records);
    storage.write(meta);
    try {
      storage.retain(config.checkpointsRetained());
    } catch (Exception e) {
      LOG.warn("could not delete old checkpoints in {}", storage.directory(), e);
    }
    // Durable: now publish. One committer per sink, in checkpoint order, from this thread only.
    for (int i = 0; i < graph.sinks().size(); i++) {
      TerminalSpec.Sink sink = graph.sinks().get(i);
      List<Object> list =
          ExecutionAttempt.deserialize(deployment.serializers.get(i), meta.committablesOf(sink.name()));
      deployment.committers.get(i).commit(p.id, list);
    }
    runner.checkpointCompleted(p.id, records);
    long millis = (System.nanoTime() - p.startNanos) / 1_000_000;
    if (p.isFinal) {
      LOG.info("final checkpoint {} completed and committed in {} ms", p.id, millis);
    } else {
      LOG.debug("checkpoint {} completed and committed in {} ms", p.id, millis);
    }
    for (SourceTask task : deployment.sourceTasks) {
      task.notifyCheckpointComplete(p.id);
    }
  }

  private Stage sinkStage(TerminalSpec.Sink sink) {
    for (Stage stage : graph.stages()) {
      if (stage.terminal() == sink) {
        return stage;
      }
    }
    throw new IllegalStateException("no stage for sink " + sink.name());
  }
}
