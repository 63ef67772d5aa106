package io.sluice.engine.internal.graph;

import io.sluice.engine.sink.TwoPhaseCommitSink;
import io.sluice.engine.source.Source;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Collects stages while a job is declared; {@link #build()} validates and freezes them. */
public final class GraphBuilder {
  private final List<StageBuilder> stages = new ArrayList<>();
  private final Set<String> sourceNames = new HashSet<>();
  private final Set<String> sinkNames = new HashSet<>();
  private int sinkCount;

  @SuppressWarnings("unchecked")
  public synchronized StageBuilder addSourceStage(Source<?> source, String name, int parallelism) {
    Objects.requireNonNull(source, "source");
    requireName(name);
    if (!sourceNames.add(name)) {
      throw new IllegalArgumentException("duplicate source name '" + name + "'");
    }
    StageBuilder stage =
        new StageBuilder(stages.size(), name, parallelism, (Source<Object>) source, -1);
    stages.add(stage);
    return stage;
  }

  public synchronized StageBuilder addExchangeStage(
      StageBuilder upstream, int position, int parallelism) {
    upstream.checkTip(position);
    StageBuilder stage =
        new StageBuilder(
            stages.size(), upstream.name + "/rebalance", parallelism, null, upstream.id);
    upstream.terminal = new TerminalSpec.Rebalance(stage.id);
    stages.add(stage);
    return stage;
  }

  @SuppressWarnings("unchecked")
  public synchronized void setSink(
      StageBuilder stage, int position, TwoPhaseCommitSink<?, ?> sink, String name) {
    Objects.requireNonNull(sink, "sink");
    requireName(name);
    stage.checkTip(position);
    if (!sinkNames.add(name)) {
      throw new IllegalArgumentException("duplicate sink name '" + name + "'");
    }
    stage.terminal =
        new TerminalSpec.Sink((TwoPhaseCommitSink<Object, Object>) sink, name, sinkCount++);
  }

  public synchronized JobGraph build() {
    if (stages.isEmpty()) {
      throw new IllegalStateException("the job has no source: call fromSource(...)");
    }
    List<Stage> built = new ArrayList<>();
    List<TerminalSpec.Sink> sinks = new ArrayList<>();
    for (StageBuilder b : stages) {
      Stage s = b.build();
      built.add(s);
      if (s.terminal() instanceof TerminalSpec.Sink sink) {
        sinks.add(sink);
      }
    }
    sinks.sort((a, b) -> Integer.compare(a.sinkIndex(), b.sinkIndex()));
    return new JobGraph(built, sinks);
  }

  private static void requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
  }
}
