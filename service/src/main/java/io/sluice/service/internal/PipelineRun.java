package io.sluice.service.internal;

import io.sluice.catalog.CommitLatencies;
import io.sluice.delta.DataFileMetrics;
import io.sluice.delta.TableCommitClientFactory;
import io.sluice.engine.JobFailedException;
import io.sluice.engine.JobHandle;
import io.sluice.engine.JobResult;
import io.sluice.kafka.KafkaSourceMetrics;
import io.sluice.kafka.KafkaTopicCheckException;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.service.config.PipelineConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * One {@code sluice run}: starts the embedded broker when asked, checks on the brokers that the
 * topic can be read (before anything else starts, so a misspelled topic leaves no table behind),
 * starts the demo producer and the embedded catalog server when asked, runs the job until it ends
 * (bounded), fails, or the process is asked to stop, and reports progress and, at the end, the
 * commits' latencies.
 */
public final class PipelineRun {
  private static final double DEMO_EVENTS_PER_SECOND = 2_000;
  private static final int DEMO_DUPLICATE_EVERY = 10;
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
  /**
   * The line after the run's final one when something was committed: the commits and the p50/p99
   * milliseconds of each phase of their latency ({@code CommitLatencies.summary()}), in groups 1
   * (commits), 2 (table), then p50 and p99 of total, staging, catalog and publishing.
   */
  public static final Pattern COMMITS_LINE = Pattern.compile(
      "sluice: (\\d+) commits to (.+), latency p50/p99: total ([0-9.]+)/([0-9.]+) ms, staging "
          + "([0-9.]+)/([0-9.]+) ms, catalog ([0-9.]+)/([0-9.]+) ms, publishing ([0-9.]+)/([0-9.]+) ms");

  private final PipelineConfig config;
  private final RunOptions options;
  private final PrintStream out;
  private final PrintStream err;
  private volatile JobHandle handle;
  private volatile boolean stopRequested;

  public PipelineRun(PipelineConfig config, RunOptions options, PrintStream out, PrintStream err) {
    this.config = config;
    this.options = options;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs until the job ends. On SIGINT/SIGTERM the job stops with a final checkpoint and commit
   * (or a savepoint when asked to), so the next start re-reads nothing; if that takes longer than
   * the stop timeout it is cancelled (its data after the last checkpoint is re-read on the next
   * start). Then the demo producer, the embedded broker and the embedded catalog server are
   * closed, in that order, before the JVM exits.
   */
  public int run() {
    return SignalStop.run(this::stopOnSignal, this::runWithServices, out, err);
  }

  private void stopOnSignal() {
    stopRequested = true;
    JobHandle job = handle;
    if (job != null && job.isRunning()) {
      stop(job);
    }
  }

  private int runWithServices() {
    SyntheticEvents.ContinuousProducer producer = null;
    EmbeddedServices services = new EmbeddedServices(out);
    try {
      String bootstrap;
      try {
        bootstrap = services.bootstrap(config);
      } catch (IOException e) {
        err.println("sluice: cannot start the embedded Kafka broker: " + e.getMessage());
        return 1;
      }
      try {
        PipelineJob.source(config, bootstrap).checkTopic();
      } catch (KafkaTopicCheckException e) {
        err.println("sluice: " + PipelineFailures.describe(config, e));
        return PipelineFailures.exitCode(e);
      }
      if (services.runsBroker()) {
        // With a dedupe to show, every tenth demo event is sent twice.
        int duplicateEvery = config.transforms().isEmpty() ? 0 : DEMO_DUPLICATE_EVERY;
        producer = SyntheticEvents.startContinuousWithDuplicates(
            bootstrap, config.source().topic(), DEMO_EVENTS_PER_SECOND, duplicateEvery);
        out.println("sluice: producing ~" + (long) DEMO_EVENTS_PER_SECOND + " demo events/s into topic "
            + config.source().topic() + " at " + bootstrap
            + (duplicateEvery > 0 ? ", every " + duplicateEvery + "th sent twice" : ""));
      }
      TableCommitClientFactory tables;
      try {
        tables = services.tables(config);
      } catch (IOException | RuntimeException e) {
        err.println("sluice: cannot start the embedded Unity Catalog server: " + e.getMessage());
        return 1;
      }
      return runJob(PipelineJob.create(config, bootstrap, tables, options));
    } finally {
      if (producer != null) {
        producer.close();
      }
      services.close();
    }
  }

  private int runJob(PipelineJob job) {
    long started = System.nanoTime();
    handle = job.environment().start();
    if (stopRequested) {
      stop(handle);
    }
    Thread progress = new Thread(() -> reportProgress(job, handle), "sluice-progress");
    progress.setDaemon(true);
    progress.start();
    out.println("sluice: pipeline '" + config.id() + "' running: " + config.source().topic()
        + " -> " + config.sink().table() + " (checkpoint every "
        + config.checkpoint().interval().toMillis() + " ms"
        + config.sink().deadLetterTable().map(table -> "; malformed records -> " + table).orElse("")
        + ")");
    try {
      JobResult result = handle.await();
      double seconds = (System.nanoTime() - started) / 1e9;
      out.printf("sluice: pipeline '%s' %s: %d records in %.1f s (%.0f records/s), last checkpoint %d, peak RSS %s%s%s%n",
          config.id(), stopRequested ? "stopped" : "finished", result.recordsWritten(), seconds,
          result.recordsWritten() / seconds, result.lastCompletedCheckpointId(), peakRss(),
          duplicates(job), malformed(job.source().metrics()));
      CommitLatencies latencies = job.commitLatencies();
      out.println(latencies.count() == 0
          ? "sluice: no commits to " + config.sink().table()
          : "sluice: " + latencies.count() + " commits to " + config.sink().table()
              + ", latency p50/p99: " + latencies.summary());
      out.println(dataFiles(job.dataFileMetrics()));
      if (result.savepoint() != null) {
        out.println("sluice: savepoint written to " + result.savepoint() + "; start from it with"
            + " --from-savepoint " + result.savepoint());
      }
      return 0;
    } catch (JobFailedException e) {
      err.println("sluice: " + PipelineFailures.describe(config, e));
      e.printStackTrace(err);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      progress.interrupt();
    }
  }

  /**
   * The data files written; what the open-file cap did: rows that waited for a file, files it
   * closed early and their average size; and what compaction rewrote.
   */
  private String dataFiles(DataFileMetrics files) {
    String line = "sluice: " + files.files() + " data files written"
        + (files.files() == 0 ? "" : String.format(", avg %s and %d rows each",
            mib(files.bytes() / files.files()), files.rows() / files.files()));
    if (files.rowsWaited() > 0 || files.filesClosedByCap() > 0) {
      line += "; open-file cap " + config.sink().maxOpenFiles() + " per writer: "
          + files.rowsWaited() + " rows waited for a file, " + files.filesClosedByCap()
          + " files closed early" + (files.filesClosedByCap() == 0 ? ""
              : " (avg " + mib(files.bytesClosedByCap() / files.filesClosedByCap()) + ")");
    }
    if (files.compactions() > 0) {
      line += "; compaction: " + files.compactions() + " commits rewrote "
          + files.filesCompacted() + " small files (" + mib(files.bytesCompacted()) + ") as "
          + files.filesFromCompaction();
    }
    return line;
  }

  private static String mib(long bytes) {
    return String.format("%.2f MiB", bytes / (1024.0 * 1024.0));
  }

  private void stop(JobHandle job) {
    if (options.savepointOnStop() != null) {
      err.println("sluice: stopping with a savepoint in " + options.savepointOnStop()
          + " (a last checkpoint is committed first)");
      job.stopWithSavepoint(options.savepointOnStop());
    } else {
      err.println("sluice: stopping with a final checkpoint and commit (at most "
          + RunOptions.STOP_TIMEOUT.type().format(options.stopTimeout()) + ")");
      job.stopWithCheckpoint();
    }
    awaitStop(job, options.stopTimeout(), err);
  }

  /**
   * Waits up to {@code timeout} for a stop with a final checkpoint (or savepoint) to end the job,
   * then cancels it, saying what the next start re-reads.
   */
  static void awaitStop(JobHandle job, Duration timeout, PrintStream err) {
    try {
      job.awaitEnd(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (job.isRunning()) {
      err.println("sluice: the final checkpoint did not complete within "
          + RunOptions.STOP_TIMEOUT.type().format(timeout) + "; cancelling: data after checkpoint "
          + job.lastCompletedCheckpointId() + " is re-read on the next start");
      job.stop();
    }
  }

  private void reportProgress(PipelineJob job, JobHandle handle) {
    KafkaSourceMetrics source = job.source().metrics();
    try {
      while (handle.isRunning()) {
        Thread.sleep(options.progressInterval().toMillis());
        long skipped = source.offsetsSkippedByReset();
        out.printf("sluice: checkpoint %d, %d records read, %s%s%s%s%n",
            handle.lastCompletedCheckpointId(), source.recordsRead(), lag(source),
            duplicates(job), malformed(source),
            skipped == 0 ? "" : ", " + skipped + " offsets skipped by the offset reset policy");
      }
    } catch (InterruptedException e) {
      // the run is over
    }
  }

  /** {@code lag N}, or {@code lag unknown} while it cannot be measured, with why when known. */
  private static String lag(KafkaSourceMetrics source) {
    OptionalLong lag = source.totalLag();
    if (lag.isPresent()) {
      return "lag " + lag.getAsLong();
    }
    return "lag unknown" + source.brokersUnreachableSince()
        .map(since -> " (Kafka unreachable since " + CLOCK.format(since) + ")").orElse("");
  }

  /**
   * The malformed records skipped or dead-lettered so far, when there were any (replays after a
   * restart count again, as the records read do).
   */
  private static String malformed(KafkaSourceMetrics source) {
    long skipped = source.recordsSkipped();
    long deadLettered = source.recordsDeadLettered();
    return (skipped == 0 ? "" : ", " + skipped + " malformed records skipped")
        + (deadLettered == 0 ? "" : ", " + deadLettered + " malformed records dead-lettered");
  }

  private String duplicates(PipelineJob job) {
    return config.transforms().isEmpty() ? "" : ", " + job.duplicatesDropped() + " duplicates dropped";
  }

  /** The process's peak resident set size (Linux VmHWM), or "n/a" elsewhere. */
  static String peakRss() {
    return ProcessStatus.mib("self", "VmHWM");
  }
}
