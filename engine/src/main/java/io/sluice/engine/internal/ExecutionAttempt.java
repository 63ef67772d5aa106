package io.sluice.engine.internal;

import io.sluice.engine.JobConfig;
import io.sluice.engine.UnrecoverableException;
import io.sluice.engine.internal.checkpoint.CheckpointMetadata;
import io.sluice.engine.internal.checkpoint.CheckpointStorage;
import io.sluice.engine.internal.checkpoint.PendingCommits;
import io.sluice.engine.internal.checkpoint.Savepoints;
import io.sluice.engine.internal.checkpoint.StateAssignment;
import io.sluice.engine.internal.graph.JobGraph;
import io.sluice.engine.internal.runtime.SourceTask;
import io.sluice.engine.internal.runtime.Task;
import io.sluice.engine.internal.runtime.TaskListener;
import io.sluice.engine.internal.runtime.TaskRuntime;
import io.sluice.engine.internal.runtime.TaskSnapshot;
import io.sluice.engine.sink.CommitterContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the job graph: choose the checkpoint to restore ({@link StateAssignment} checks it
 * fits), re-commit it, deploy the tasks, then run the attempt's event loop until the job ends.
 * The loop owns the task lifecycle and the attempt's outcome; checkpoints go through the {@link
 * CheckpointCoordinator}, commits through the {@link CommitCoordinator} on its own thread, and
 * both report back as events, so nothing slow ever runs in the loop.
 */
final class ExecutionAttempt implements TaskListener {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutionAttempt.class);
  private static final long CANCEL_JOIN_MILLIS = 30_000;
  private static final long MAX_WAIT_NANOS = 100_000_000L;
  /** Checkpoints wait while this many completed ones are not yet committed. */
  private static final int MAX_QUEUED_COMMITS = 4;

  /** How an attempt ended. */
  sealed interface Outcome {
    record Finished() implements Outcome {}

    record Stopped() implements Outcome {}

    /** Restarting cannot help when the cause is an {@link UnrecoverableException}. */
    record Failed(Throwable cause) implements Outcome {
      boolean restartable() {
        return !UnrecoverableException.isCauseOf(cause);
      }
    }
  }

  private sealed interface Event {}

  private record Ack(int task, long checkpointId, TaskSnapshot snapshot) implements Event {}

  private record Declined(int task, long checkpointId, Throwable cause) implements Event {}

  private record CompleteProcessed(int task, long checkpointId) implements Event {}

  private record SourceFinished(int task) implements Event {}

  private record TaskFinished(int task) implements Event {}

  private record TaskFailed(int task, Throwable cause) implements Event {}

  private record CommitOutcome(CommitCoordinator.Outcome outcome) implements Event {}

  private record SavepointDone(Path directory, Throwable failure) implements Event {}

  /** Wakes the loop (stop or savepoint requested). */
  private record Wakeup() implements Event {}

  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final JobContext job;
  private final AttemptListener listener;
  private final int attemptNumber;

  ExecutionAttempt(JobContext job, AttemptListener listener, int attemptNumber) {
    this.job = job;
    this.listener = listener;
    this.attemptNumber = attemptNumber;
  }

  /** Makes the loop look at the listener's stop and savepoint requests now. */
  void wakeUp() {
    events.add(new Wakeup());
  }

  // ---- TaskListener (task threads) ----

  @Override
  public void acknowledgeCheckpoint(int taskIndex, long checkpointId, TaskSnapshot snapshot) {
    events.add(new Ack(taskIndex, checkpointId, snapshot));
  }

  @Override
  public void declineCheckpoint(int taskIndex, long checkpointId, Throwable cause) {
    events.add(new Declined(taskIndex, checkpointId, cause));
  }

  @Override
  public void checkpointCompleteProcessed(int taskIndex, long checkpointId) {
    events.add(new CompleteProcessed(taskIndex, checkpointId));
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

  // ---- the attempt ----

  Outcome run() {
    JobConfig config = job.config();
    String pipeline = config.pipelineId();
    ExecutorService snapshotWriter = Executors.newCachedThreadPool(daemon(pipeline + "-snapshot"));
    ScheduledExecutorService timerThread =
        Executors.newSingleThreadScheduledExecutor(daemon(pipeline + "-timers"));
    CommitCoordinator commits = null;
    ExecutionGraph deployment = null;
    boolean finished = false;
    try {
      StateAssignment assignment = assignState();
      long restoredId = assignment.checkpointId();
      job.storage().deleteAfter(restoredId);
      commits =
          new CommitCoordinator(
              pipeline,
              committers(new CommitterContext(pipeline, assignment.lineage())),
              o -> events.add(new CommitOutcome(o)));
      Map<String, List<PendingCommits.Commit>> redo = new LinkedHashMap<>();
      for (JobGraph.ChainMember sink : job.graph().sinks()) {
        redo.put(sink.operatorId(), assignment.commitsToRedo(sink.operatorId()));
      }
      if (!await(commits.redo(redo, restoredId))) {
        return new Outcome.Stopped();
      }
      listener.restored(restoredId);
      TaskRuntime runtime =
          new TaskRuntime(
              pipeline,
              assignment.maxParallelism(),
              config.exchangeBatchSize(),
              config.stateBackend(),
              job.storage(),
              snapshotWriter,
              timerThread,
              this);
      deployment = ExecutionGraph.deploy(job.graph(), assignment, runtime, config);
      if (listener.stopRequested()) {
        return new Outcome.Stopped();
      }
      CheckpointCoordinator checkpoints =
          new CheckpointCoordinator(
              job.graph(),
              deployment,
              job.storage(),
              config,
              assignment);
      Outcome outcome = loop(deployment, checkpoints, commits, snapshotWriter, restoredId < 0);
      finished = outcome instanceof Outcome.Finished;
      return outcome;
    } catch (Throwable t) {
      if (t instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return new Outcome.Failed(t);
    } finally {
      cancelTasks(deployment, finished);
      if (commits != null) {
        commits.close();
        reportFinishedCommits();
      }
      snapshotWriter.shutdownNow();
      timerThread.shutdownNow();
    }
  }

  /**
   * The restore source: the savepoint the job was told to start from, unless the checkpoint
   * directory holds a newer checkpoint (the savepoint was applied before, e.g. before a crash);
   * otherwise the latest checkpoint, if any.
   */
  private StateAssignment assignState() throws IOException {
    JobConfig config = job.config();
    CheckpointStorage storage = job.storage();
    Optional<CheckpointMetadata> latest = storage.loadLatest();
    CheckpointMetadata meta = latest.orElse(null);
    Path root = storage.directory();
    String origin = latest.map(m -> storage.metadataFile(m.checkpointId()).toString()).orElse(null);
    if (config.restoreFrom() != null) {
      Savepoints.Located savepoint = Savepoints.load(config.restoreFrom());
      long savepointId = savepoint.metadata().checkpointId();
      if (meta != null && meta.checkpointId() > savepointId) {
        LOG.warn(
            "job {}: checkpoint {} in {} is newer than savepoint {} in {}: restoring the"
                + " checkpoint (the savepoint was already applied)",
            config.pipelineId(), meta.checkpointId(), storage.directory(), savepointId,
            config.restoreFrom());
      } else {
        meta = savepoint.metadata();
        root = savepoint.root();
        origin = config.restoreFrom().toString();
      }
    }
    if (meta == null) {
      String lineage = storage.freshStartLineage();
      LOG.info(
          "job {} attempt {}: fresh start (no completed checkpoint in {}), lineage {}",
          config.pipelineId(), attemptNumber, storage.directory(), lineage);
      return StateAssignment.fresh(job.graph(), config.maxParallelism(), lineage);
    }
    LOG.info(
        "job {} attempt {}: restoring from {} {} in {} (lineage {})",
        config.pipelineId(), attemptNumber,
        meta.kind() == CheckpointMetadata.Kind.SAVEPOINT ? "savepoint" : "checkpoint",
        meta.checkpointId(), origin, meta.lineage());
    return StateAssignment.restore(
        meta, root, origin, job.graph(), config.pipelineId(), config.maxParallelism(),
        config.allowNonRestoredState());
  }

  private List<CommitCoordinator.SinkCommitter> committers(CommitterContext context)
      throws Exception {
    List<CommitCoordinator.SinkCommitter> committers = new ArrayList<>();
    for (JobGraph.ChainMember sink : job.graph().sinks()) {
      committers.add(
          new CommitCoordinator.SinkCommitter(
              sink.operatorId(),
              sink.node().sink().createCommitter(context),
              sink.node().sink().committableSerializer()));
    }
    return committers;
  }

  /** Waits for the restore's commits, watching for a stop; false if stopped first. */
  private boolean await(Future<?> future) throws Exception {
    while (true) {
      if (listener.stopRequested()) {
        return false;
      }
      try {
        future.get(MAX_WAIT_NANOS, TimeUnit.NANOSECONDS);
        return true;
      } catch (TimeoutException e) {
        // check for a stop, then wait on
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof Exception ex ? ex : e;
      }
    }
  }

  /**
   * The attempt's event loop.
   *
   * @param pinStartPositions on a fresh start, checkpoint 1 is queued in the source mailboxes
   *     before any task runs, so it is taken right after the readers resolved their start
   *     positions (e.g. "latest"); sources read nothing until it is complete, so a restart or a
   *     crash resumes from there instead of resolving the start position anew
   */
  private Outcome loop(
      ExecutionGraph deployment,
      CheckpointCoordinator checkpoints,
      CommitCoordinator commits,
      ExecutorService snapshotWriter,
      boolean pinStartPositions)
      throws Exception {
    JobConfig config = job.config();
    List<Task> tasks = deployment.tasks();
    final long intervalNanos = config.checkpointInterval().toNanos();
    long nextTrigger = System.nanoTime() + intervalNanos;
    if (pinStartPositions) {
      checkpoints.trigger(System.nanoTime(), CheckpointCoordinator.Type.PERIODIC);
    }
    for (Task task : tasks) {
      task.start("sluice-" + config.pipelineId() + "-" + task.name());
    }
    BitSet sourcesFinished = new BitSet();
    int tasksFinished = 0;
    TreeMap<Long, CheckpointCoordinator.Completed> uncommitted = new TreeMap<>();
    CheckpointCoordinator.Completed last = null; // the final or stop checkpoint
    boolean paused = false;
    boolean endSent = false;
    while (true) {
      if (listener.stopRequested()) {
        return new Outcome.Stopped();
      }
      if (paused != listener.pauseRequested()) {
        paused = !paused;
        for (SourceTask task : deployment.sourceTasks()) {
          task.pause(paused);
        }
      }
      long now = System.nanoTime();
      checkpoints.checkTimeout(now);
      checkCommitTimeout(uncommitted, now);
      if (last == null && checkpoints.canTrigger() && commits.queued() < MAX_QUEUED_COMMITS) {
        if (listener.finalCheckpointRequested()) {
          checkpoints.trigger(now, CheckpointCoordinator.Type.STOP);
        } else if (sourcesFinished.cardinality() == deployment.sourceTasks().size()) {
          checkpoints.trigger(now, CheckpointCoordinator.Type.FINAL);
        } else if (now - nextTrigger >= 0 || listener.checkpointRequested()) {
          listener.checkpointTriggered(checkpoints.trigger(now, CheckpointCoordinator.Type.PERIODIC));
          nextTrigger = now + intervalNanos;
        }
      }
      long wait = Math.min(MAX_WAIT_NANOS, checkpoints.pendingDeadline() - now);
      if (last == null && checkpoints.canTrigger()) {
        wait = Math.min(wait, nextTrigger - now);
      }
      Event event = events.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
      if (event instanceof Ack ack) {
        CheckpointCoordinator.Completed completed =
            checkpoints.acknowledge(
                ack.task(), ack.checkpointId(), ack.snapshot(),
                (sink, id) -> pendingCommits(uncommitted, sink, id));
        if (completed != null) {
          uncommitted.put(completed.id(), completed);
          commits.submit(completed.id(), completed.commits(), completed.records());
          if (completed.type() != CheckpointCoordinator.Type.PERIODIC) {
            last = completed;
          }
        }
      } else if (event instanceof Declined d) {
        throw new IOException(
            "checkpoint " + d.checkpointId() + " failed in task " + tasks.get(d.task()).name(),
            d.cause());
      } else if (event instanceof CompleteProcessed p) {
        checkpoints.checkpointCompleteProcessed(p.checkpointId());
      } else if (event instanceof CommitOutcome c) {
        if (c.outcome() instanceof CommitCoordinator.Outcome.Failed f) {
          throw f.cause() instanceof Exception e ? e : new IllegalStateException(f.cause());
        }
        CommitCoordinator.Outcome.Committed done = (CommitCoordinator.Outcome.Committed) c.outcome();
        CheckpointCoordinator.Completed checkpoint = uncommitted.remove(done.checkpointId());
        listener.committed(
            done.checkpointId(),
            done.records(),
            Optional.ofNullable(checkpoint)
                .map(cp -> cp.stats(System.nanoTime() - cp.completedNanos())));
        for (Task task : tasks) {
          task.notifyCheckpointCommitted(done.checkpointId());
        }
        if (last != null && done.checkpointId() == last.id()) {
          if (last.type() == CheckpointCoordinator.Type.STOP
              && listener.savepointRequested() != null) {
            writeSavepoint(last, snapshotWriter);
          } else if (last.type() == CheckpointCoordinator.Type.STOP) {
            LOG.info("final checkpoint {} of the stop completed and committed", last.id());
            endSent = endSources(deployment, endSent);
          } else {
            LOG.info("final checkpoint {} completed and committed", last.id());
            endSent = endSources(deployment, endSent);
          }
        }
      } else if (event instanceof SavepointDone s) {
        if (s.failure() != null) {
          throw new IOException("writing the savepoint to " + s.directory() + " failed", s.failure());
        }
        listener.savepointWritten(s.directory());
        endSent = endSources(deployment, endSent);
      } else if (event instanceof SourceFinished sf) {
        sourcesFinished.set(sf.task());
        LOG.debug("source task {} reached end of input", sf.task());
      } else if (event instanceof TaskFinished) {
        if (++tasksFinished == tasks.size()) {
          return new Outcome.Finished();
        }
      } else if (event instanceof TaskFailed failed) {
        LOG.warn("task {} failed: {}", tasks.get(failed.task()).name(), failed.cause().toString());
        return new Outcome.Failed(failed.cause());
      }
    }
  }

  /**
   * A commit that does not finish within the checkpoint timeout fails the attempt like a
   * checkpoint that does not complete: the restore redoes it.
   */
  private void checkCommitTimeout(
      TreeMap<Long, CheckpointCoordinator.Completed> uncommitted, long now)
      throws TimeoutException {
    if (uncommitted.isEmpty()) {
      return;
    }
    CheckpointCoordinator.Completed oldest = uncommitted.firstEntry().getValue();
    if (now - oldest.completedNanos() >= job.config().checkpointTimeout().toNanos()) {
      throw new TimeoutException(
          "the commit of checkpoint " + oldest.id() + " did not finish within "
              + job.config().checkpointTimeout());
    }
  }

  /** Commits that ended while the attempt was ending still count (the loop did not see them). */
  private void reportFinishedCommits() {
    for (Event event : events) {
      if (event instanceof CommitOutcome c
          && c.outcome() instanceof CommitCoordinator.Outcome.Committed done) {
        listener.committed(done.checkpointId(), done.records(), Optional.empty());
      }
    }
  }

  /** The commits of {@code sink} completed before {@code checkpointId} and not yet confirmed. */
  private static byte[] pendingCommits(
      TreeMap<Long, CheckpointCoordinator.Completed> uncommitted, String sink, long checkpointId) {
    List<PendingCommits.Commit> pending = new ArrayList<>();
    for (CheckpointCoordinator.Completed c : uncommitted.headMap(checkpointId).values()) {
      PendingCommits.Commit commit = c.commits().get(sink);
      if (commit != null) {
        pending.add(commit);
      }
    }
    return pending.isEmpty() ? null : PendingCommits.encode(pending);
  }

  private void writeSavepoint(CheckpointCoordinator.Completed checkpoint, ExecutorService writer) {
    Path target = listener.savepointRequested();
    writer.execute(
        () -> {
          try {
            Savepoints.write(checkpoint.metadata(), job.storage().directory(), target);
            LOG.info("savepoint of checkpoint {} written to {}", checkpoint.id(), target);
            events.add(new SavepointDone(target, null));
          } catch (Throwable t) {
            events.add(new SavepointDone(target, t));
          }
        });
  }

  private static boolean endSources(ExecutionGraph deployment, boolean endSent) {
    if (!endSent) {
      for (SourceTask task : deployment.sourceTasks()) {
        task.end();
      }
    }
    return true;
  }

  private void cancelTasks(ExecutionGraph deployment, boolean finished) {
    if (deployment == null) {
      return;
    }
    if (!finished) {
      for (Task task : deployment.tasks()) {
        task.cancel();
      }
    }
    boolean interrupted = false;
    for (Task task : deployment.tasks()) {
      try {
        if (!task.join(CANCEL_JOIN_MILLIS)) {
          LOG.warn("task {} did not end within {} ms after cancel", task.name(), CANCEL_JOIN_MILLIS);
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, "sluice-" + name);
      t.setDaemon(true);
      return t;
    };
  }
}
