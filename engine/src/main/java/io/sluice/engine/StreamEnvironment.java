package io.sluice.engine;

import io.sluice.engine.internal.JobRunner;
import io.sluice.engine.internal.graph.StreamGraph;
import io.sluice.engine.internal.graph.StreamNode;
import io.sluice.engine.internal.operators.SourceOperator;
import io.sluice.engine.source.Source;
import java.util.Objects;

/**
 * Entry point: declares a job's sources and their streams, then runs it.
 *
 * <pre>{@code
 * StreamEnvironment env = new StreamEnvironment(JobConfig.of("orders", dir));
 * env.fromSource(kafka, "orders-topic", 2)
 *     .keyBy(Order::id, Serializers.string())
 *     .process(Dedupe::new).uid("dedupe")
 *     .sinkTo(delta, "orders-table");
 * JobResult result = env.execute();
 * }</pre>
 *
 * <p>Map, filter and flatMap functions are shared by all parallel subtasks of their stage and
 * called from several threads: they must be stateless or thread-safe. Process functions, sources
 * and sinks are factories: the engine creates an instance per subtask anew on every (re)start.
 */
public final class StreamEnvironment {
  private final JobConfig config;
  private final StreamGraph graph = new StreamGraph();
  private JobRunner running;

  public StreamEnvironment(JobConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public JobConfig config() {
    return config;
  }

  /**
   * Adds a source with {@code parallelism} reader subtasks. {@code name} is its id in
   * checkpoints unless {@link DataStream#uid} pins another: keep it stable across restarts,
   * unique within the job.
   */
  @SuppressWarnings("unchecked")
  public <T> DataStream<T> fromSource(Source<T> source, String name, int parallelism) {
    Objects.requireNonNull(source, "source");
    StreamNode node =
        graph.addSource(name, parallelism, () -> new SourceOperator((Source<Object>) source));
    return DataStream.of(graph, node);
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
