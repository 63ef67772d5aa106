package io.sluice.engine.internal.checkpoint;

import io.sluice.engine.UnrecoverableException;
import io.sluice.engine.internal.graph.JobGraph;
import io.sluice.engine.internal.graph.StreamNode;
import io.sluice.engine.internal.operators.OperatorRestore;
import io.sluice.engine.internal.operators.SinkCommittables;
import io.sluice.engine.internal.state.KeyGroupRange;
import io.sluice.engine.internal.state.KeyGroups;
import io.sluice.engine.internal.state.KeyedStateHandle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restore rules: whether a checkpoint (or savepoint) fits the job, and what each operator
 * subtask starts from at the job's parallelism. Sources get the union of all their readers'
 * states; keyed operators the handles of the key groups they now own; sinks nothing, because a
 * restore re-commits their committables instead ({@link #commitsToRedo}).
 */
public final class StateAssignment {
  private static final Logger LOG = LoggerFactory.getLogger(StateAssignment.class);

  private final long checkpointId;
  private final String lineage;
  private final int maxParallelism;
  private final Path stateRoot;
  private final Map<String, OperatorState> states;

  private StateAssignment(
      long checkpointId,
      String lineage,
      int maxParallelism,
      Path stateRoot,
      Map<String, OperatorState> states) {
    this.checkpointId = checkpointId;
    this.lineage = lineage;
    this.maxParallelism = maxParallelism;
    this.stateRoot = stateRoot;
    this.states = states;
  }

  /** A fresh start: nothing restored; {@code lineage} begins here. */
  public static StateAssignment fresh(JobGraph graph, int maxParallelism, String lineage) {
    checkParallelism(graph, maxParallelism);
    return new StateAssignment(-1, lineage, maxParallelism, null, Map.of());
  }

  /**
   * Checks that {@code meta} fits the job and prepares the assignment.
   *
   * @param origin names the checkpoint or savepoint in errors
   * @param configuredMaxParallelism the job's setting; a checkpoint's own value wins
   * @param allowNonRestoredState drop state of operators the job no longer has instead of failing
   */
  public static StateAssignment restore(
      CheckpointMetadata meta,
      Path stateRoot,
      String origin,
      JobGraph graph,
      String pipelineId,
      int configuredMaxParallelism,
      boolean allowNonRestoredState) {
    if (!meta.pipelineId().equals(pipelineId)) {
      throw new IncompatibleCheckpointException(
          "checkpoint " + origin + " belongs to pipeline '" + meta.pipelineId() + "', not '"
              + pipelineId + "': give each pipeline its own directory");
    }
    Map<String, JobGraph.ChainMember> operators = new LinkedHashMap<>();
    for (JobGraph.ChainMember member : graph.operators()) {
      operators.put(member.operatorId(), member);
    }
    Map<String, OperatorState> states = new LinkedHashMap<>(meta.operators());
    if (meta.formatVersion() == 1) {
      renameLegacySink(states, graph, origin);
    }
    for (OperatorState state : states.values()) {
      JobGraph.ChainMember member = operators.get(state.operatorId());
      if (member == null) {
        checkDroppable(state, origin, allowNonRestoredState);
      } else if (member.node().kind() != state.kind() && !state.isEmpty()) {
        throw new IncompatibleCheckpointException(
            "operator '" + state.operatorId() + "' is a " + describe(member.node().kind())
                + " now, but checkpoint " + origin + " holds the state of a "
                + describe(state.kind()) + " under that id: give the new operator another uid");
      }
    }
    for (JobGraph.ChainMember member : operators.values()) {
      if (member.node().kind() == StreamNode.Kind.SOURCE
          && !states.containsKey(member.operatorId())) {
        throw new IncompatibleCheckpointException(
            "source '" + member.operatorId() + "' has no state in checkpoint " + origin
                + " (it holds operators " + states.keySet() + "): started from its start"
                + " position it would read again what is already written. Keep source names"
                + " stable, or start the pipeline under a new id and checkpoint directory");
      }
    }
    boolean keyed = states.values().stream().anyMatch(OperatorState::hasKeyedState);
    if (keyed && configuredMaxParallelism != meta.maxParallelism()) {
      LOG.warn(
          "checkpoint {} was taken with maxParallelism {}; keeping it (the job asks for {}):"
              + " key groups cannot change without losing the key-to-state mapping",
          origin, meta.maxParallelism(), configuredMaxParallelism);
    }
    int maxParallelism = keyed ? meta.maxParallelism() : configuredMaxParallelism;
    checkParallelism(graph, maxParallelism);
    return new StateAssignment(
        meta.checkpointId(), meta.lineage(), maxParallelism, stateRoot, states);
  }

  public long checkpointId() {
    return checkpointId;
  }

  public boolean isRestored() {
    return checkpointId >= 0;
  }

  /** The pipeline history this attempt continues: kept from the restored checkpoint. */
  public String lineage() {
    return lineage;
  }

  public int maxParallelism() {
    return maxParallelism;
  }

  /** What subtask {@code subtask} of {@code member} (at its stage's parallelism) starts from. */
  public OperatorRestore restoreOf(JobGraph.ChainMember member, int subtask) {
    OperatorState state = states.get(member.operatorId());
    if (!isRestored()) {
      return OperatorRestore.fresh();
    }
    if (state == null) {
      return new OperatorRestore(checkpointId, List.of(), List.of(), stateRoot);
    }
    List<byte[]> operatorStates = new ArrayList<>();
    if (member.node().kind() == StreamNode.Kind.SOURCE) {
      for (OperatorSubtaskState s : state.subtasks()) {
        if (s.operatorState() != null) {
          operatorStates.add(s.operatorState());
        }
      }
    }
    KeyGroupRange range =
        KeyGroups.rangeOf(maxParallelism, member.node().parallelism(), subtask);
    List<KeyedStateHandle> keyed = new ArrayList<>();
    for (OperatorSubtaskState s : state.subtasks()) {
      for (KeyedStateHandle handle : s.keyedState()) {
        if (!handle.keyGroupRange().intersect(range).isEmpty()) {
          keyed.add(handle);
        }
      }
    }
    return new OperatorRestore(checkpointId, operatorStates, keyed, stateRoot);
  }

  /**
   * The commits of sink {@code sinkId} to redo, oldest first: those pending when the checkpoint
   * completed, then the checkpoint's own.
   */
  public List<PendingCommits.Commit> commitsToRedo(String sinkId) throws IOException {
    OperatorState state = states.get(sinkId);
    if (state == null) {
      return List.of();
    }
    List<PendingCommits.Commit> commits =
        new ArrayList<>(PendingCommits.decode(state.coordinatorState()));
    long records = 0;
    List<byte[]> own = new ArrayList<>();
    for (OperatorSubtaskState s : state.subtasks()) {
      if (s.operatorState() != null) {
        SinkCommittables c = SinkCommittables.decode(s.operatorState());
        records += c.records();
        own.addAll(c.committables());
      }
    }
    commits.add(new PendingCommits.Commit(checkpointId, records, own));
    commits.sort(Comparator.comparingLong(PendingCommits.Commit::checkpointId));
    return commits;
  }

  /**
   * Format 1 named a sink by a name the service derived from the table path; a checkpoint with one
   * sink the job does not know restores into the job's one sink the checkpoint does not know.
   */
  private static void renameLegacySink(
      Map<String, OperatorState> states, JobGraph graph, String origin) {
    List<OperatorState> unknownSinks =
        states.values().stream()
            .filter(s -> s.kind() == StreamNode.Kind.SINK)
            .filter(s -> graph.operators().stream().noneMatch(m -> m.operatorId().equals(s.operatorId())))
            .toList();
    List<JobGraph.ChainMember> newSinks =
        graph.sinks().stream().filter(m -> !states.containsKey(m.operatorId())).toList();
    if (unknownSinks.size() == 1 && newSinks.size() == 1) {
      OperatorState old = unknownSinks.get(0);
      String id = newSinks.get(0).operatorId();
      LOG.info(
          "checkpoint {} (format 1) names its sink '{}'; restoring it into sink '{}'",
          origin, old.operatorId(), id);
      states.remove(old.operatorId());
      states.put(id, new OperatorState(id, old.kind(), old.coordinatorState(), old.subtasks()));
    }
  }

  private static void checkDroppable(OperatorState state, String origin, boolean allow) {
    String id = state.operatorId();
    switch (state.kind()) {
      case SOURCE ->
          LOG.warn("checkpoint {} has state of source '{}', which the job no longer has", origin, id);
      case SINK -> {
        boolean pending = state.coordinatorState() != null;
        for (OperatorSubtaskState s : state.subtasks()) {
          try {
            pending |=
                s.operatorState() != null
                    && !SinkCommittables.decode(s.operatorState()).committables().isEmpty();
          } catch (IOException e) {
            pending = true;
          }
        }
        if (pending) {
          throw new IncompatibleCheckpointException(
              "checkpoint " + origin + " holds committables of sink '" + id + "', which the"
                  + " job no longer has: they could be lost");
        }
      }
      default -> {
        if (state.hasKeyedState()) {
          if (!allow) {
            throw new IncompatibleCheckpointException(
                "checkpoint " + origin + " holds keyed state of operator '" + id + "', which"
                    + " the job no longer has (operators now: another uid, or removed). Restore"
                    + " it under the same uid, or allow non-restored state to drop it");
          }
          LOG.warn("dropping the keyed state of operator '{}' from checkpoint {}", id, origin);
        }
      }
    }
  }

  private static void checkParallelism(JobGraph graph, int maxParallelism) {
    for (JobGraph.ChainMember member : graph.operators()) {
      if (member.node().kind() == StreamNode.Kind.KEYED
          && member.node().parallelism() > maxParallelism) {
        throw new IncompatibleCheckpointException(
            "keyed operator '" + member.operatorId() + "' has parallelism "
                + member.node().parallelism() + ", more than maxParallelism " + maxParallelism);
      }
    }
  }

  private static String describe(StreamNode.Kind kind) {
    return switch (kind) {
      case SOURCE -> "source";
      case OPERATOR -> "stateless operator";
      case KEYED -> "keyed operator";
      case SINK -> "sink";
    };
  }

  /** The checkpoint does not fit the job; restarting cannot change that. */
  public static final class IncompatibleCheckpointException extends UnrecoverableException {
    private static final long serialVersionUID = 1L;

    public IncompatibleCheckpointException(String message) {
      super(message);
    }
  }
}
