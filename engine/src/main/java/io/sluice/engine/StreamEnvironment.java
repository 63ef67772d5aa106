package io.sluice.engine;

import io.sluice.engine.internal.JobRunner;
import io.sluice.engine.internal.graph.GraphBuilder;
import io.sluice.engine.internal.graph.StageBuilder;
import io.sluice.engine.source.Source;
import java.util.Objects;

/**
 * Entry point: declares a job's sources and their streams, then runs it.
 *
 * <pre>{@code
 * StreamEnvironment env = new StreamEnvironment(JobConfig.of("orders", dir));
 * env.fromSource(kafka, "orders-topic", 2).map(parse).rebalance(4).sinkTo(delta, "orders-table");
 * JobResult result = env.execute();
 * }</pre>
 *
 * <p>Functions ({@code map}, {@code filter}, ...) are shared by all parallel subtasks of their
 * stage and called from several threads: they must be stateless or thread-safe. Sources and sinks
 * are factories; the engine creates readers, writers and committers anew on every (re)start.
 */
public final class StreamEnvironment {
  private final JobConfig config;
  private final GraphBuilder graph = new GraphBuilder();
  private JobRunner running;

  public StreamEnvironment(JobConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public JobConfig config() {
    return config;
  }

  /**
   * Adds a source with {@code parallelism} reader subtasks. {@code name} identifies the source's
   * state in checkpoints: keep it stable across restarts, unique within the job.
   */
  public <T> DataStream<T> fromSource(Source<T> source, String name, int parallelism) {
    StageBuilder stage = graph.addSourceStage(source, name, parallelism);
    return new DataStream<>(graph, stage);
  }

  /** Runs the job on background threads. */
  public synchronized JobHandle start() {
    if (running != null && running.isRunning()) {
      throw new IllegalStateException("job " + config.pipelineId() + " is already running");
    }
    JobRunner runner = new JobRunner(graph.build(), config);
    runner.start();
    running = runner;
    return runner;
  }

  /** Runs the job and waits for it: {@code start().await()}; interrupting the caller stops it. */
  public JobResult execute() throws JobFailedException {
    JobHandle handle = start();
    try {
      return handle.await();
    } catch (InterruptedException e) {
      handle.stop();
      Thread.currentThread().interrupt();
      throw new JobFailedException("interrupted while waiting for job " + config.pipelineId(), e);
    }
  }
}
