package io.sluice.engine.internal;

import io.sluice.engine.JobConfig;
import io.sluice.engine.internal.checkpoint.StateAssignment;
import io.sluice.engine.internal.exchange.ExchangeOutput;
import io.sluice.engine.internal.exchange.InputGate;
import io.sluice.engine.internal.exchange.KeyGroupOutput;
import io.sluice.engine.internal.exchange.RoundRobinOutput;
import io.sluice.engine.internal.graph.JobGraph;
import io.sluice.engine.internal.graph.Partitioning;
import io.sluice.engine.internal.operators.OperatorRestore;
import io.sluice.engine.internal.runtime.InputTask;
import io.sluice.engine.internal.runtime.ChainOutput;
import io.sluice.engine.internal.runtime.SourceTask;
import io.sluice.engine.internal.runtime.Task;
import io.sluice.engine.internal.runtime.TaskRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployed attempt: one task per stage subtask, wired through input gates. Tasks are indexed
 * stage by stage; {@link #taskOf} finds a subtask's task.
 */
final class ExecutionGraph {
  private final List<Task> tasks = new ArrayList<>();
  private final List<SourceTask> sourceTasks = new ArrayList<>();
  private final int[] firstTask;

  private ExecutionGraph(int stages) {
    this.firstTask = new int[stages];
  }

  List<Task> tasks() {
    return tasks;
  }

  List<SourceTask> sourceTasks() {
    return sourceTasks;
  }

  int taskOf(int stage, int subtask) {
    return firstTask[stage] + subtask;
  }

  static ExecutionGraph deploy(
      JobGraph graph, StateAssignment assignment, TaskRuntime runtime, JobConfig config) {
    ExecutionGraph deployed = new ExecutionGraph(graph.stages().size());
    InputGate[][] gates = new InputGate[graph.stages().size()][];
    for (JobGraph.Stage stage : graph.stages()) {
      if (!stage.isSource()) {
        gates[stage.id()] = new InputGate[stage.parallelism()];
        for (int i = 0; i < stage.parallelism(); i++) {
          gates[stage.id()][i] = new InputGate(stage.channels(), config.exchangeBuffersPerChannel());
        }
      }
    }
    for (JobGraph.Stage stage : graph.stages()) {
      deployed.firstTask[stage.id()] = deployed.tasks.size();
      for (int subtask = 0; subtask < stage.parallelism(); subtask++) {
        Map<ChainOutput, List<ExchangeOutput>> outputs = new LinkedHashMap<>();
        for (JobGraph.Exchange exchange : graph.exchanges()) {
          if (exchange.upstreamStage() == stage.id()) {
            outputs
                .computeIfAbsent(
                    new ChainOutput(exchange.upstreamMember(), exchange.tag()),
                    k -> new ArrayList<>())
                .add(output(exchange, gates[exchange.downstreamStage()], subtask, runtime));
          }
        }
        List<OperatorRestore> restores = new ArrayList<>();
        for (JobGraph.ChainMember member : stage.members()) {
          restores.add(assignment.restoreOf(member, subtask));
        }
        int index = deployed.tasks.size();
        if (stage.isSource()) {
          SourceTask task = new SourceTask(index, stage, subtask, restores, outputs, runtime);
          deployed.tasks.add(task);
          deployed.sourceTasks.add(task);
        } else {
          deployed.tasks.add(
              new InputTask(
                  index, stage, subtask, restores, outputs, runtime, gates[stage.id()][subtask]));
        }
      }
    }
    return deployed;
  }

  private static ExchangeOutput output(
      JobGraph.Exchange exchange, InputGate[] downstream, int subtask, TaskRuntime runtime) {
    if (exchange.pointwise()) {
      return new RoundRobinOutput(
          new InputGate[] {downstream[subtask]},
          exchange.channelOffset(),
          runtime.exchangeBatchSize(),
          0);
    }
    int channel = exchange.channelOffset() + subtask;
    if (exchange.partitioning() instanceof Partitioning.KeyGroups keyed) {
      return new KeyGroupOutput(
          downstream,
          channel,
          runtime.exchangeBatchSize(),
          runtime.maxParallelism(),
          keyed.keySelector(),
          keyed.keySerializer());
    }
    return new RoundRobinOutput(downstream, channel, runtime.exchangeBatchSize(), subtask);
  }
}
