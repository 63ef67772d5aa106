package io.sluice.engine.internal.runtime;

import io.sluice.engine.OutputTag;
import io.sluice.engine.internal.exchange.ChannelEvent;
import io.sluice.engine.internal.exchange.EndOfData;
import io.sluice.engine.internal.exchange.ExchangeOutput;
import io.sluice.engine.internal.graph.JobGraph;
import io.sluice.engine.internal.operators.OperatorContext;
import io.sluice.engine.internal.operators.OperatorRestore;
import io.sluice.engine.internal.operators.OperatorSnapshot;
import io.sluice.engine.internal.operators.StreamOperator;
import io.sluice.engine.internal.state.SnapshotTarget;
import io.sluice.engine.internal.time.ProcessingTimeService;
import io.sluice.engine.source.Output;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators of one task, in chain order (a parent before its children), wired output to
 * input: a chained consumer is called directly, a consumer in another stage through the
 * exchange's output. Lifecycle calls go to every operator in chain order, except {@link #open},
 * which goes tail first so consumers are ready before their producers emit.
 */
final class OperatorChain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorChain.class);

  private final List<JobGraph.ChainMember> members;
  private final StreamOperator[] operators;
  private final List<ExchangeOutput> exchanges;

  private OperatorChain(
      List<JobGraph.ChainMember> members, StreamOperator[] operators, List<ExchangeOutput> exchanges) {
    this.members = members;
    this.operators = operators;
    this.exchanges = exchanges;
  }

  static OperatorChain create(
      JobGraph.Stage stage,
      int subtask,
      Map<ChainOutput, List<ExchangeOutput>> exchangesByOutput,
      ProcessingTimeService processingTime,
      TaskRuntime runtime)
      throws Exception {
    List<JobGraph.ChainMember> members = stage.members();
    StreamOperator[] operators = new StreamOperator[members.size()];
    for (int i = 0; i < operators.length; i++) {
      operators[i] = members.get(i).node().factory().create();
    }
    List<ExchangeOutput> exchanges = new ArrayList<>();
    exchangesByOutput.values().forEach(exchanges::addAll);
    for (int i = 0; i < operators.length; i++) {
      Map<OutputTag<?>, List<Output<Object>>> byTag = new LinkedHashMap<>();
      byTag.put(null, new ArrayList<>());
      for (int c = i + 1; c < operators.length; c++) {
        JobGraph.ChainMember child = members.get(c);
        if (child.parent() == i) {
          byTag.computeIfAbsent(child.parentTag(), t -> new ArrayList<>())
              .add(Outputs.chained(operators[c]));
        }
      }
      for (Map.Entry<ChainOutput, List<ExchangeOutput>> e : exchangesByOutput.entrySet()) {
        if (e.getKey().member() == i) {
          for (ExchangeOutput exchange : e.getValue()) {
            byTag.computeIfAbsent(e.getKey().tag(), t -> new ArrayList<>())
                .add(Outputs.exchange(exchange));
          }
        }
      }
      Map<OutputTag<?>, Output<Object>> sides = new LinkedHashMap<>();
      for (Map.Entry<OutputTag<?>, List<Output<Object>>> e : byTag.entrySet()) {
        if (e.getKey() != null) {
          sides.put(e.getKey(), Outputs.combine(e.getValue()));
        }
      }
      JobGraph.ChainMember member = members.get(i);
      operators[i].setup(
          new OperatorContext(
              runtime.pipelineId(),
              member.operatorId(),
              subtask,
              stage.parallelism(),
              runtime.maxParallelism(),
              Outputs.routing(Outputs.combine(byTag.get(null)), sides),
              processingTime,
              runtime.stateBackend()));
    }
    return new OperatorChain(members, operators, exchanges);
  }

  StreamOperator head() {
    return operators[0];
  }

  void initializeState(List<OperatorRestore> restores) throws Exception {
    for (int i = 0; i < operators.length; i++) {
      operators[i].initializeState(restores.get(i));
    }
  }

  void open() throws Exception {
    for (int i = operators.length - 1; i >= 0; i--) {
      operators[i].open();
    }
  }

  /** The input ended: each operator may emit what it holds, then end of data goes downstream. */
  void endInput() throws Exception {
    for (StreamOperator operator : operators) {
      operator.endInput();
    }
    broadcast(EndOfData.INSTANCE);
  }

  void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    for (StreamOperator operator : operators) {
      operator.prepareSnapshotPreBarrier(checkpointId);
    }
  }

  /** Each operator's snapshot, by operator id. */
  Map<String, OperatorSnapshot> snapshotState(SnapshotTarget target) throws Exception {
    Map<String, OperatorSnapshot> snapshots = new LinkedHashMap<>();
    for (int i = 0; i < operators.length; i++) {
      snapshots.put(members.get(i).operatorId(), operators[i].snapshotState(target));
    }
    return snapshots;
  }

  void notifyCheckpointComplete(long checkpointId) throws Exception {
    for (StreamOperator operator : operators) {
      operator.notifyCheckpointComplete(checkpointId);
    }
  }

  void notifyCheckpointCommitted(long checkpointId) throws Exception {
    for (StreamOperator operator : operators) {
      operator.notifyCheckpointCommitted(checkpointId);
    }
  }

  void flush() throws InterruptedException {
    for (ExchangeOutput exchange : exchanges) {
      exchange.flush();
    }
  }

  void flushIfOlder(long nowNanos, long maxDelayNanos) throws InterruptedException {
    for (ExchangeOutput exchange : exchanges) {
      exchange.flushIfOlder(nowNanos, maxDelayNanos);
    }
  }

  void broadcast(ChannelEvent event) throws InterruptedException {
    for (ExchangeOutput exchange : exchanges) {
      exchange.broadcast(event);
    }
  }

  /** Closes every operator, head first; the first failure is thrown after all were closed. */
  void close() throws Exception {
    Exception first = null;
    for (StreamOperator operator : operators) {
      try {
        operator.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          LOG.debug("closing another operator failed too", e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
