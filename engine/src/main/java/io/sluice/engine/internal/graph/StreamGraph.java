package io.sluice.engine.internal.graph;

import io.sluice.engine.sink.TwoPhaseCommitSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Collects the nodes of a job while it is declared (inputs always exist before their consumers,
 * so creation order is a topological order); {@link #build()} validates it, fixes the operator
 * ids and chains it into a {@link JobGraph}.
 */
public final class StreamGraph {
  private final List<StreamNode> nodes = new ArrayList<>();
  private final Set<String> sourceNames = new HashSet<>();
  private final Set<String> sinkNames = new HashSet<>();

  public synchronized StreamNode addSource(String name, int parallelism, OperatorFactory factory) {
    requireName(name);
    if (!sourceNames.add(name)) {
      throw new IllegalArgumentException("duplicate source name '" + name + "'");
    }
    return add(StreamNode.Kind.SOURCE, name, parallelism, factory, null, List.of());
  }

  public synchronized StreamNode addOperator(
      StreamNode.Kind kind,
      String name,
      int parallelism,
      OperatorFactory factory,
      List<StreamEdge> inputs) {
    requireName(name);
    return add(kind, name, parallelism, factory, null, inputs);
  }

  @SuppressWarnings("unchecked")
  public synchronized StreamNode addSink(
      String name,
      int parallelism,
      TwoPhaseCommitSink<?, ?> sink,
      OperatorFactory factory,
      List<StreamEdge> inputs) {
    Objects.requireNonNull(sink, "sink");
    requireName(name);
    if (!sinkNames.add(name)) {
      throw new IllegalArgumentException("duplicate sink name '" + name + "'");
    }
    return add(
        StreamNode.Kind.SINK,
        name,
        parallelism,
        factory,
        (TwoPhaseCommitSink<Object, Object>) sink,
        inputs);
  }

  public synchronized void setUid(StreamNode node, String uid) {
    requireName(uid);
    for (StreamNode other : nodes) {
      if (other != node && uid.equals(other.uid())) {
        throw new IllegalArgumentException("uid '" + uid + "' is already used by " + other);
      }
    }
    node.setUid(uid);
  }

  public synchronized JobGraph build() {
    if (nodes.stream().noneMatch(n -> n.kind() == StreamNode.Kind.SOURCE)) {
      throw new IllegalStateException("the job has no source: call fromSource(...)");
    }
    boolean[] consumed = new boolean[nodes.size()];
    for (StreamNode node : nodes) {
      for (StreamEdge edge : node.inputs()) {
        consumed[edge.source()] = true;
      }
    }
    for (StreamNode node : nodes) {
      if (node.kind() != StreamNode.Kind.SINK && !consumed[node.id()]) {
        throw new IllegalStateException(
            "the output of " + node + " goes nowhere: end the stream with sinkTo(...)");
      }
    }
    return JobGraph.chain(List.copyOf(nodes), operatorIds());
  }

  /** The user's uid, else the name, made unique with {@code #2}, {@code #3}... in node order. */
  private List<String> operatorIds() {
    Set<String> taken = new HashSet<>();
    for (StreamNode node : nodes) {
      if (node.uid() != null) {
        taken.add(node.uid());
      }
    }
    Map<String, Integer> seen = new HashMap<>();
    List<String> ids = new ArrayList<>(nodes.size());
    for (StreamNode node : nodes) {
      if (node.uid() != null) {
        ids.add(node.uid());
        continue;
      }
      int n = seen.merge(node.name(), 1, Integer::sum);
      String id = n == 1 ? node.name() : node.name() + "#" + n;
      while (!taken.add(id)) {
        n = seen.merge(node.name(), 1, Integer::sum);
        id = node.name() + "#" + n;
      }
      ids.add(id);
    }
    return ids;
  }

  private StreamNode add(
      StreamNode.Kind kind,
      String name,
      int parallelism,
      OperatorFactory factory,
      TwoPhaseCommitSink<Object, Object> sink,
      List<StreamEdge> inputs) {
    for (StreamEdge edge : inputs) {
      if (edge.source() < 0 || edge.source() >= nodes.size()) {
        throw new IllegalArgumentException("input " + edge + " is not a node of this job");
      }
    }
    StreamNode node = new StreamNode(nodes.size(), kind, name, parallelism, factory, sink, inputs);
    nodes.add(node);
    return node;
  }

  private static void requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
  }
}
