package io.sluice.engine.internal.graph;

import io.sluice.engine.OutputTag;
import java.util.ArrayList;
import java.util.List;

/**
 * The job as it runs: {@link Stage}s (chains of operators run by one task per subtask) connected
 * by {@link Exchange}s. A node is chained into its input's stage when it has exactly one input, a
 * forward edge from a node of the same parallelism; every other node starts a stage fed by
 * exchanges. Stages are in topological order.
 */
public record JobGraph(List<Stage> stages, List<Exchange> exchanges) {

  /** A chained operator: its node, stable id, and the member (and output) feeding it. */
  public record ChainMember(StreamNode node, String operatorId, int parent, OutputTag<?> parentTag) {}

  /**
   * One chain of operators, run by {@code parallelism} tasks. Member 0 is the source or the
   * operator fed by the input exchanges; a member's parent comes before it.
   *
   * @param inputExchanges ids of the exchanges feeding member 0, in channel order
   * @param channels channels of each subtask's input gate
   */
  public record Stage(
      int id, int parallelism, List<ChainMember> members, List<Integer> inputExchanges, int channels) {
    public boolean isSource() {
      return members.get(0).node().kind() == StreamNode.Kind.SOURCE;
    }

    public String name() {
      return members.get(0).operatorId();
    }
  }

  /**
   * Records of {@code tag} (null: main output) of member {@code upstreamMember} of stage {@code
   * upstreamStage}, into the input gates of stage {@code downstreamStage}.
   *
   * @param pointwise upstream subtask i feeds only downstream subtask i (one channel each)
   * @param channelOffset the first channel of this exchange in every downstream gate
   */
  public record Exchange(
      int id,
      int upstreamStage,
      int upstreamMember,
      OutputTag<?> tag,
      int downstreamStage,
      Partitioning partitioning,
      boolean pointwise,
      int channelOffset) {}

  public Stage stage(int id) {
    return stages.get(id);
  }

  /** Every chained operator, stage by stage. */
  public List<ChainMember> operators() {
    List<ChainMember> all = new ArrayList<>();
    stages.forEach(s -> all.addAll(s.members()));
    return all;
  }

  /** The sink members, in declaration order. */
  public List<ChainMember> sinks() {
    return operators().stream()
        .filter(m -> m.node().kind() == StreamNode.Kind.SINK)
        .sorted((a, b) -> Integer.compare(a.node().id(), b.node().id()))
        .toList();
  }

  static JobGraph chain(List<StreamNode> nodes, List<String> operatorIds) {
    int[] stageOf = new int[nodes.size()];
    int[] memberOf = new int[nodes.size()];
    List<List<ChainMember>> members = new ArrayList<>();
    List<Integer> heads = new ArrayList<>();
    for (StreamNode node : nodes) {
      StreamEdge only = node.inputs().size() == 1 ? node.inputs().get(0) : null;
      if (only != null
          && only.partitioning() instanceof Partitioning.Forward
          && nodes.get(only.source()).parallelism() == node.parallelism()) {
        int stage = stageOf[only.source()];
        stageOf[node.id()] = stage;
        memberOf[node.id()] = members.get(stage).size();
        members
            .get(stage)
            .add(
                new ChainMember(
                    node, operatorIds.get(node.id()), memberOf[only.source()], only.tag()));
      } else {
        stageOf[node.id()] = members.size();
        memberOf[node.id()] = 0;
        List<ChainMember> chain = new ArrayList<>();
        chain.add(new ChainMember(node, operatorIds.get(node.id()), -1, null));
        members.add(chain);
        heads.add(node.id());
      }
    }
    List<Exchange> exchanges = new ArrayList<>();
    List<Stage> stages = new ArrayList<>();
    for (int s = 0; s < members.size(); s++) {
      StreamNode head = nodes.get(heads.get(s));
      List<Integer> inputs = new ArrayList<>();
      int channels = 0;
      if (head.kind() != StreamNode.Kind.SOURCE) {
        for (StreamEdge edge : head.inputs()) {
          StreamNode upstream = nodes.get(edge.source());
          boolean sameParallelism = upstream.parallelism() == head.parallelism();
          Partitioning partitioning = edge.partitioning();
          if (partitioning instanceof Partitioning.Forward && !sameParallelism) {
            partitioning = Partitioning.REBALANCE; // forward needs equal parallelism
          }
          boolean pointwise = partitioning instanceof Partitioning.Forward;
          Exchange exchange =
              new Exchange(
                  exchanges.size(),
                  stageOf[edge.source()],
                  memberOf[edge.source()],
                  edge.tag(),
                  s,
                  partitioning,
                  pointwise,
                  channels);
          exchanges.add(exchange);
          inputs.add(exchange.id());
          channels += pointwise ? 1 : upstream.parallelism();
        }
      }
      stages.add(new Stage(s, head.parallelism(), List.copyOf(members.get(s)), inputs, channels));
    }
    return new JobGraph(List.copyOf(stages), List.copyOf(exchanges));
  }
}
