package io.sluice.engine.internal.graph;

import io.sluice.engine.sink.TwoPhaseCommitSink;
import java.util.List;

/**
 * An operator of the declared job: what it is, its parallelism and its inputs. Its stable id is
 * the user's {@code uid}, otherwise derived from its name when the graph is built.
 */
public final class StreamNode {

  /** What a node does; decides how its state is checkpointed and restored. */
  public enum Kind {
    /** Reads a source; its reader state is restored as a union to every subtask. */
    SOURCE,
    /** A stateless operator (map, filter, flatMap, process). */
    OPERATOR,
    /** An operator with keyed state and timers, fed by a key-group exchange. */
    KEYED,
    /** A sink writer; its committables are committed by the sink's global committer. */
    SINK
  }

  private final int id;
  private final Kind kind;
  private final String name;
  private final int parallelism;
  private final OperatorFactory factory;
  private final TwoPhaseCommitSink<Object, Object> sink;
  private final List<StreamEdge> inputs;
  private String uid;

  StreamNode(
      int id,
      Kind kind,
      String name,
      int parallelism,
      OperatorFactory factory,
      TwoPhaseCommitSink<Object, Object> sink,
      List<StreamEdge> inputs) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism of " + name + " must be at least 1");
    }
    this.id = id;
    this.kind = kind;
    this.name = name;
    this.parallelism = parallelism;
    this.factory = factory;
    this.sink = sink;
    this.inputs = List.copyOf(inputs);
  }

  public int id() {
    return id;
  }

  public Kind kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  public int parallelism() {
    return parallelism;
  }

  public OperatorFactory factory() {
    return factory;
  }

  /** The sink of a {@link Kind#SINK} node, null otherwise. */
  public TwoPhaseCommitSink<Object, Object> sink() {
    return sink;
  }

  public List<StreamEdge> inputs() {
    return inputs;
  }

  public String uid() {
    return uid;
  }

  void setUid(String uid) {
    this.uid = uid;
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + " '" + (uid != null ? uid : name) + "'";
  }
}
