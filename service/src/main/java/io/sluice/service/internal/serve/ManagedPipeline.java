package io.sluice.service.internal.serve;

import io.sluice.catalog.CommitLatencies;
import io.sluice.catalog.CommitLatency;
import io.sluice.delta.DataFileMetrics;
import io.sluice.engine.JobFailedException;
import io.sluice.engine.JobHandle;
import io.sluice.engine.JobStatus;
import io.sluice.kafka.KafkaSourceMetrics;
import io.sluice.service.config.PipelineConfig;
import io.sluice.service.internal.EmbeddedServices;
import io.sluice.service.internal.PipelineFailures;
import io.sluice.service.internal.PipelineJob;
import io.sluice.service.internal.RunOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipeline file of {@code sluice serve}, supervised: its job runs on a thread of its own; a job
 * that fails for good is started again from its checkpoint directory after a backoff that doubles
 * up to a limit, until it failed {@link ServeOptions#maxFailures()} times in a row or with a
 * failure a restart cannot heal, when it stays {@link State#FAILED}. A file that does not load is
 * FAILED from the start, with the loader's error.
 */
public final class ManagedPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ManagedPipeline.class);

  /** Where a supervised pipeline is in its life. */
  public enum State { STARTING, RUNNING, PAUSED, RESTARTING, STOPPING, STOPPED, FAILED, FINISHED }

  /** A failure: when, and what. */
  public record Failure(Instant at, String message) {}

  private final Path file;
  private final String name;
  private final PipelineConfig config;
  private final EmbeddedServices services;
  private final ServeOptions options;
  private final Consumer<CommitLatency> commitListener;
  private final Object lock = new Object();

  // guarded by lock
  private State state;
  private Thread supervisor;
  private boolean stopRequested;
  private boolean paused;
  private int consecutiveFailures;
  private int supervisorRestarts;
  private Failure lastError;

  private volatile PipelineJob job;
  private volatile JobHandle handle;
  /** Totals of the jobs that ended, so that counters only grow across restarts. */
  private volatile Totals ended = Totals.ZERO;

  /** Counters of a job, summed over the jobs of this pipeline. */
  public record Totals(long recordsRead, long bytesRead, long recordsCommitted, long filesWritten,
      long bytesWritten, long engineRestarts, long recordsSkipped, long recordsDeadLettered) {
    static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0, 0, 0);

    Totals plus(Totals o) {
      return new Totals(recordsRead + o.recordsRead, bytesRead + o.bytesRead,
          recordsCommitted + o.recordsCommitted, filesWritten + o.filesWritten,
          bytesWritten + o.bytesWritten, engineRestarts + o.engineRestarts,
          recordsSkipped + o.recordsSkipped, recordsDeadLettered + o.recordsDeadLettered);
    }
  }

  /**
   * @param commitListener fed with the latency of each commit of every job of this pipeline
   */
  ManagedPipeline(Path file, String name, PipelineConfig config, Failure loadError,
      EmbeddedServices services, ServeOptions options, Consumer<CommitLatency> commitListener) {
    this.file = file;
    this.name = name;
    this.config = config;
    this.services = services;
    this.options = options;
    this.commitListener = commitListener;
    this.lastError = loadError;
    this.state = config == null ? State.FAILED : State.STOPPED;
  }

  public String name() {
    return name;
  }

  public Path file() {
    return file;
  }

  /** The loaded pipeline file, or empty when it did not load. */
  public Optional<PipelineConfig> config() {
    return Optional.ofNullable(config);
  }

  public State state() {
    synchronized (lock) {
      return state == State.RUNNING && paused ? State.PAUSED : state;
    }
  }

  public boolean paused() {
    synchronized (lock) {
      return paused;
    }
  }

  /** Restarts so far: the engine's in-process ones and the supervisor's. */
  public long restarts() {
    synchronized (lock) {
      JobHandle h = handle;
      return supervisorRestarts + ended.engineRestarts() + (h == null ? 0 : h.status().restarts());
    }
  }

  public Optional<Failure> lastError() {
    synchronized (lock) {
      JobHandle h = handle;
      Optional<JobStatus.Failure> engine = h == null ? Optional.empty() : h.status().lastFailure();
      if (engine.isPresent() && (lastError == null || engine.get().at().isAfter(lastError.at()))) {
        return Optional.of(new Failure(engine.get().at(), engine.get().message()));
      }
      return Optional.ofNullable(lastError);
    }
  }

  /** The current job's status, while one exists. */
  public Optional<JobStatus> jobStatus() {
    JobHandle h = handle;
    return h == null ? Optional.empty() : Optional.of(h.status());
  }

  /** The current job's source metrics, while one exists. */
  public Optional<KafkaSourceMetrics> source() {
    PipelineJob j = job;
    return j == null ? Optional.empty() : Optional.of(j.source().metrics());
  }

  /** The current job's commit latencies, while one exists. */
  public Optional<CommitLatencies> commits() {
    PipelineJob j = job;
    return j == null ? Optional.empty() : Optional.of(j.commitLatencies());
  }

  /** Counters summed over every job of this pipeline, the current one included. */
  public Totals totals() {
    PipelineJob j = job;
    JobHandle h = handle;
    return j == null || h == null ? ended : ended.plus(totalsOf(j, h));
  }

  private static Totals totalsOf(PipelineJob j, JobHandle h) {
    KafkaSourceMetrics source = j.source().metrics();
    DataFileMetrics files = j.dataFileMetrics();
    JobStatus status = h.status();
    return new Totals(source.recordsRead(), source.bytesRead(), status.recordsCommitted(),
        files.files(), files.bytes(), status.restarts(), source.recordsSkipped(),
        source.recordsDeadLettered());
  }

  /** Starts the pipeline's supervisor, unless it runs or the file did not load. */
  public void start() {
    synchronized (lock) {
      if (config == null) {
        throw new IllegalStateException("pipeline '" + name + "' did not load: "
            + lastError.message());
      }
      if (supervisor != null && supervisor.isAlive()) {
        throw new IllegalStateException("pipeline '" + name + "' is " + state());
      }
      stopRequested = false;
      consecutiveFailures = 0;
      state = State.STARTING;
      supervisor = new Thread(this::supervise, "sluice-serve-" + name);
      supervisor.start();
    }
  }

  /** Asks the job to stop with a final checkpoint; a pipeline waiting to restart stops now. */
  public void requestStop() {
    synchronized (lock) {
      if (supervisor == null || !supervisor.isAlive()) {
        throw new IllegalStateException("pipeline '" + name + "' is " + state());
      }
      stopRequested = true;
      if (handle != null) {
        state = State.STOPPING;
        handle.stopWithCheckpoint();
      }
      lock.notifyAll();
    }
  }

  /** Asks the job to stop with a savepoint in {@code directory}. */
  public void requestSavepoint(Path directory) {
    synchronized (lock) {
      if (handle == null || !handle.isRunning()) {
        throw new IllegalStateException("pipeline '" + name + "' has no running job (" + state()
            + ")");
      }
      handle.stopWithSavepoint(directory);
      stopRequested = true;
      state = State.STOPPING;
    }
  }

  /**
   * Waits up to {@code timeout} for the pipeline to stop; then cancels its job (its data after
   * the last checkpoint is re-read on the next start) and waits for that.
   *
   * @return whether it stopped within the timeout, with its final checkpoint
   */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    Thread t;
    synchronized (lock) {
      t = supervisor;
    }
    if (t == null) {
      return true;
    }
    t.join(Math.max(1, timeout.toMillis()));
    if (!t.isAlive()) {
      return true;
    }
    JobHandle h = handle;
    LOG.warn("pipeline {} did not stop within {}; cancelling: data after checkpoint {} is re-read "
        + "on the next start", name, timeout, h == null ? -1 : h.lastCompletedCheckpointId());
    if (h != null) {
      h.stop();
    }
    t.join();
    return false;
  }

  public void pause() {
    setPaused(true);
  }

  public void resume() {
    setPaused(false);
  }

  private void setPaused(boolean pause) {
    synchronized (lock) {
      if (handle == null || !handle.isRunning()) {
        throw new IllegalStateException("pipeline '" + name + "' has no running job (" + state()
            + ")");
      }
      paused = pause;
      if (pause) {
        handle.pause();
      } else {
        handle.resume();
      }
    }
  }

  /** Takes a checkpoint now; completes with its id once committed. */
  public CompletableFuture<Long> checkpoint() {
    synchronized (lock) {
      if (handle == null || !handle.isRunning()) {
        throw new IllegalStateException("pipeline '" + name + "' has no running job (" + state()
            + ")");
      }
      return handle.triggerCheckpoint();
    }
  }

  private void supervise() {
    while (true) {
      synchronized (lock) {
        if (stopRequested) {
          state = State.STOPPED;
          return;
        }
        state = State.STARTING;
      }
      PipelineJob started = null;
      try {
        String bootstrap = services.bootstrap(config);
        PipelineJob.source(config, bootstrap).checkTopic();
        started = PipelineJob.create(config, bootstrap, services.tables(config), RunOptions.NONE);
        started.commitLatencies().addListener(commitListener);
        JobHandle h = started.environment().start();
        synchronized (lock) {
          job = started;
          handle = h;
          state = State.RUNNING;
          if (paused) {
            h.pause();
          }
          if (stopRequested) {
            state = State.STOPPING;
            h.stopWithCheckpoint();
          }
        }
        LOG.info("pipeline {} running from {}", name, file);
        h.await();
        synchronized (lock) {
          endJob();
          consecutiveFailures = 0;
          state = stopRequested ? State.STOPPED : State.FINISHED;
          Totals totals = ended;
          LOG.info("pipeline {} {}: {} records read, {} committed, last checkpoint {}", name,
              state.name().toLowerCase(java.util.Locale.ROOT), totals.recordsRead(),
              totals.recordsCommitted(), h.lastCompletedCheckpointId());
          return;
        }
      } catch (JobFailedException | java.io.IOException | RuntimeException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        synchronized (lock) {
          if (!failed(e)) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        synchronized (lock) {
          endJob();
          state = State.STOPPED;
        }
        return;
      }
    }
  }

  /**
   * Records a failure of the job (or of its start) and waits out the backoff. Holds the lock.
   *
   * @return whether to start again
   */
  private boolean failed(Exception e) {
    endJob();
    lastError = new Failure(Instant.now(), PipelineFailures.describe(config, e));
    consecutiveFailures++;
    if (stopRequested) {
      state = State.STOPPED;
      return false;
    }
    boolean unrecoverable = PipelineFailures.restartCannotHelp(e);
    if (unrecoverable || consecutiveFailures >= options.maxFailures()) {
      state = State.FAILED;
      LOG.error("pipeline {} failed{}; it stays failed until started again: {}", name,
          unrecoverable ? " (a restart would fail the same way)"
              : " " + consecutiveFailures + " times in a row", lastError.message());
      return false;
    }
    Duration backoff = options.backoff(consecutiveFailures);
    state = State.RESTARTING;
    supervisorRestarts++;
    LOG.warn("pipeline {} failed ({} of {} in a row), starting again in {}: {}", name,
        consecutiveFailures, options.maxFailures(), backoff, lastError.message());
    long until = System.nanoTime() + backoff.toNanos();
    try {
      for (long left = backoff.toNanos(); left > 0 && !stopRequested;
          left = until - System.nanoTime()) {
        lock.wait(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      stopRequested = true;
    }
    if (stopRequested) {
      state = State.STOPPED;
      return false;
    }
    return true;
  }

  /** Folds the ended job's counters into the totals and forgets it. Holds the lock. */
  private void endJob() {
    PipelineJob j = job;
    JobHandle h = handle;
    if (j != null && h != null) {
      ended = ended.plus(totalsOf(j, h));
      j.commitLatencies().removeListener(commitListener);
    }
    job = null;
    handle = null;
  }

  /** The lag of the current job, empty while unknown. */
  public OptionalLong lag() {
    PipelineJob j = job;
    return j == null ? OptionalLong.empty() : j.source().metrics().totalLag();
  }

  /** Per-partition lag of the current job. */
  public Map<Integer, Long> partitionLag() {
    PipelineJob j = job;
    return j == null ? Map.of() : j.source().metrics().partitionLag();
  }
}
