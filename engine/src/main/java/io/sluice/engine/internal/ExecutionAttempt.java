package io.sluice.engine.internal;

import io.sluice.engine.JobConfig;
import io.sluice.engine.UnrecoverableException;
import io.sluice.engine.internal.checkpoint.CheckpointMetadata;
import io.sluice.engine.internal.checkpoint.CheckpointStorage;
import io.sluice.engine.internal.exchange.InputGate;
import io.sluice.engine.internal.exchange.RebalanceOutput;
import io.sluice.engine.internal.graph.JobGraph;
import io.sluice.engine.internal.graph.Stage;
import io.sluice.engine.internal.graph.TerminalSpec;
import io.sluice.engine.internal.runtime.ChainTail;
import io.sluice.engine.internal.runtime.ExchangeTail;
import io.sluice.engine.internal.runtime.InputTask;
import io.sluice.engine.internal.runtime.SinkTail;
import io.sluice.engine.internal.runtime.SourceTask;
import io.sluice.engine.internal.runtime.Task;
import io.sluice.engine.sink.CommittableSerializer;
import io.sluice.engine.sink.GlobalCommitter;
import io.sluice.engine.sink.SinkContext;
import io.sluice.engine.source.SourceContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the job graph: restore from the latest completed checkpoint (re-commit it, discard
 * what came after), deploy and start the tasks, coordinate checkpoints until the job ends, and
 * cancel everything on failure or stop.
 */
final class ExecutionAttempt {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutionAttempt.class);
  private static final long CANCEL_JOIN_MILLIS = 30_000;

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

  /** The deployed parts an attempt coordinates. */
  static final class Deployment {
    final List<Task> tasks = new ArrayList<>();
    /** Per stage id, the global task index of its subtask 0. */
    final int[] firstTask;
    final List<SourceTask> sourceTasks = new ArrayList<>();
    final List<GlobalCommitter<Object>> committers = new ArrayList<>();
    final List<CommittableSerializer<Object>> serializers = new ArrayList<>();

    Deployment(int stages) {
      firstTask = new int[stages];
    }
  }

  private final JobRunner runner;
  private final JobGraph graph;
  private final JobConfig config;
  private final CheckpointStorage storage;
  private final int attemptNumber;
  private volatile CheckpointCoordinator coordinator;

  ExecutionAttempt(JobRunner runner, int attemptNumber) {
    this.runner = runner;
    this.graph = runner.graph();
    this.config = runner.config();
    this.storage = runner.storage();
    this.attemptNumber = attemptNumber;
  }

  void requestStop() {
    CheckpointCoordinator c = coordinator;
    if (c != null) {
      c.requestStop();
    }
  }

  Outcome run() {
    Deployment deployment = new Deployment(graph.stages().size());
    boolean finished = false;
    try {
      Optional<CheckpointMetadata> restored = storage.loadLatest();
      long restoredId = restored.map(CheckpointMetadata::checkpointId).orElse(-1L);
      if (restored.isPresent()) {
        checkCompatible(restored.get());
      }
      storage.deleteAfter(restoredId);
      LOG.info(
          "job {} attempt {}: {}",
          config.pipelineId(),
          attemptNumber,
          restored.isPresent()
              ? "restoring from checkpoint " + restoredId + " in " + storage.directory()
              : "fresh start (no completed checkpoint in " + storage.directory() + ")");

      for (TerminalSpec.Sink sink : graph.sinks()) {
        deployment.serializers.add(sink.sink().committableSerializer());
        deployment.committers.add(sink.sink().createCommitter());
      }
      // Re-commit the restored checkpoint (idempotent), then let sinks drop later leftovers.
      for (int i = 0; i < graph.sinks().size(); i++) {
        TerminalSpec.Sink sink = graph.sinks().get(i);
        GlobalCommitter<Object> committer = deployment.committers.get(i);
        if (restored.isPresent() && restored.get().sinkCommittables().containsKey(sink.name())) {
          List<Object> committables =
              deserialize(deployment.serializers.get(i), restored.get().committablesOf(sink.name()));
          LOG.info(
              "re-committing checkpoint {} of sink {} ({} committables)",
              restoredId,
              sink.name(),
              committables.size());
          committer.commit(restoredId, committables);
        }
        committer.discardUncommitted(restoredId);
      }
      runner.checkpointRestored(
          restoredId, restored.map(CheckpointMetadata::recordsWritten).orElse(0L));

      coordinator =
          new CheckpointCoordinator(runner, deployment, restoredId < 0 ? 1 : restoredId + 1);
      deploy(deployment, restored, restoredId, coordinator);
      if (runner.stopRequested()) {
        return new Outcome.Stopped();
      }
      Outcome outcome = coordinator.run(restoredId < 0);
      finished = outcome instanceof Outcome.Finished;
      return outcome;
    } catch (Throwable t) {
      if (t instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return new Outcome.Failed(t);
    } finally {
      cleanup(deployment, finished);
    }
  }

  private void checkCompatible(CheckpointMetadata meta) {
    Path file = storage.metadataFile(meta.checkpointId());
    if (!meta.pipelineId().equals(config.pipelineId())) {
      throw new IncompatibleCheckpointException(
          "checkpoint " + file + " belongs to pipeline '" + meta.pipelineId()
              + "', not '" + config.pipelineId() + "': give each pipeline its own directory");
    }
    Set<String> sinks = new HashSet<>();
    graph.sinks().forEach(s -> sinks.add(s.name()));
    for (String name : meta.sinkCommittables().keySet()) {
      if (!sinks.contains(name) && !meta.committablesOf(name).isEmpty()) {
        throw new IncompatibleCheckpointException(
            "checkpoint " + file + " holds committables of sink '" + name
                + "', which the job no longer has: they could be lost");
      }
    }
    Set<String> sources = new HashSet<>();
    graph.stages().stream().filter(Stage::isSource).forEach(s -> sources.add(s.name()));
    for (String name : meta.sourceStates().keySet()) {
      if (!sources.contains(name)) {
        LOG.warn("checkpoint {} has state of source '{}', which the job no longer has", file, name);
      }
    }
    for (String name : sources) {
      if (!meta.sourceStates().containsKey(name)) {
        throw new IncompatibleCheckpointException(
            "source '" + name + "' has no state in checkpoint " + file + " (it holds sources "
                + meta.sourceStates().keySet() + "): started from its start position it would"
                + " read again what is already written. Keep source names stable, or start the"
                + " pipeline under a new id and checkpoint directory");
      }
    }
  }

  private void deploy(
      Deployment d,
      Optional<CheckpointMetadata> restored,
      long restoredId,
      CheckpointCoordinator listener) {
    List<Stage> stages = graph.stages();
    InputGate[][] gates = new InputGate[stages.size()][];
    for (Stage stage : stages) {
      if (!stage.isSource()) {
        int upstreamParallelism = graph.stage(stage.upstreamStage()).parallelism();
        gates[stage.id()] = new InputGate[stage.parallelism()];
        for (int i = 0; i < stage.parallelism(); i++) {
          gates[stage.id()][i] =
              new InputGate(upstreamParallelism, config.exchangeBuffersPerChannel());
        }
      }
    }
    for (Stage stage : stages) {
      d.firstTask[stage.id()] = d.tasks.size();
      for (int i = 0; i < stage.parallelism(); i++) {
        final int subtask = i;
        Callable<ChainTail> tail;
        if (stage.terminal() instanceof TerminalSpec.Sink sink) {
          SinkContext ctx =
              new SinkContext(config.pipelineId(), subtask, stage.parallelism(), restoredId);
          tail =
              () ->
                  new SinkTail(
                      sink.sink().createWriter(ctx), d.serializers.get(sink.sinkIndex()));
        } else {
          InputGate[] targets = gates[((TerminalSpec.Rebalance) stage.terminal()).downstreamStage()];
          tail =
              () ->
                  new ExchangeTail(
                      new RebalanceOutput(targets, subtask, config.exchangeBatchSize(), subtask));
        }
        String name = stage.name() + "-" + subtask;
        int index = d.tasks.size();
        if (stage.isSource()) {
          List<byte[]> states =
              restored
                  .map(m -> m.sourceStates().getOrDefault(stage.name(), List.of()))
                  .orElse(List.of());
          SourceTask task =
              new SourceTask(
                  index,
                  name,
                  stage.source(),
                  new SourceContext(config.pipelineId(), subtask, stage.parallelism()),
                  List.copyOf(states),
                  stage.operators(),
                  tail,
                  listener);
          d.tasks.add(task);
          d.sourceTasks.add(task);
        } else {
          d.tasks.add(
              new InputTask(
                  index, name, gates[stage.id()][subtask], stage.operators(), tail, listener));
        }
      }
    }
  }

  static List<Object> deserialize(CommittableSerializer<Object> serializer, List<byte[]> bytes)
      throws IOException {
    List<Object> out = new ArrayList<>(bytes.size());
    for (byte[] b : bytes) {
      out.add(serializer.deserialize(b));
    }
    return out;
  }

  private void cleanup(Deployment d, boolean finished) {
    if (!finished) {
      for (Task task : d.tasks) {
        task.cancel();
      }
    }
    boolean interrupted = false;
    for (Task task : d.tasks) {
      try {
        if (!task.join(CANCEL_JOIN_MILLIS)) {
          LOG.warn("task {} did not end within {} ms after cancel", task.name(), CANCEL_JOIN_MILLIS);
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    for (GlobalCommitter<Object> committer : d.committers) {
      try {
        committer.close();
      } catch (Throwable t) {
        LOG.warn("closing a committer failed", t);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The latest checkpoint does not fit this job (other pipeline, removed sink). */
  static final class IncompatibleCheckpointException extends UnrecoverableException {
    private static final long serialVersionUID = 1L;

    IncompatibleCheckpointException(String message) {
      super(message);
    }
  }
}
