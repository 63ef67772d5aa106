package io.sluice.service.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.sluice.catalog.TableCommitClient;
import io.sluice.delta.LineageConflictException;
import io.sluice.delta.TableAheadOfCheckpointException;
import io.sluice.delta.TableCommitClientFactory;
import io.sluice.engine.JobFailedException;
import io.sluice.engine.JobHandle;
import io.sluice.engine.JobResult;
import io.sluice.engine.config.ConfigOption;
import io.sluice.engine.config.OptionType;
import io.sluice.kafka.KafkaSource;
import io.sluice.kafka.KafkaTopicCheckException;
import io.sluice.kafka.StartPosition;
import io.sluice.service.config.PipelineConfig;
import io.sluice.service.config.PipelineOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * One {@code sluice backfill}: runs a pipeline bounded over a range of its topic into its table,
 * under an identity of its own ({@link #appId}, {@link #defaultCheckpointDirectory}), beside the
 * live pipeline, whose checkpoints and consumer group it never touches.
 *
 * <p>The range is resolved to offsets once, at the first start, and recorded in the checkpoint
 * directory ({@link BackfillRecord}); every later run reads to the same offsets. So a run of a
 * finished backfill restores its last checkpoint, which stands at the end of every partition,
 * reads nothing and commits nothing; a stopped one continues where it stopped; another range under
 * the same id is refused; and a run whose checkpoint directory was lost starts a new lineage,
 * which the table's lineage guard refuses before anything is read.
 */
public final class BackfillRun {
  /** {@code sluice backfill --id}. */
  public static final ConfigOption<String> ID = ConfigOption.key("id", OptionType.string())
      .required()
      .validate(PipelineOptions.id("backfill id"))
      .doc("the backfill's id: names its txn appId `<pipeline>/backfill-<id>` and its checkpoint "
          + "directory");

  private final PipelineConfig config;
  private final Request request;
  private final PrintStream out;
  private final PrintStream err;
  private final String name;
  private volatile JobHandle handle;
  private volatile boolean stopRequested;

  /**
   * What the command line asks.
   *
   * @param id the backfill's id, valid as {@link PipelineOptions#id}
   * @param checkpointDirectory its checkpoint directory, or null for the default
   * @param progressInterval between two progress lines when not on a terminal
   * @param stopTimeout how long a stop on a signal waits for the final checkpoint before it
   *     cancels
   * @param terminal show a progress bar rather than lines
   */
  public record Request(String id, BackfillRange range, Path checkpointDirectory,
      Duration progressInterval, Duration stopTimeout, boolean terminal) {}

  public BackfillRun(PipelineConfig config, Request request, PrintStream out, PrintStream err) {
    this.config = config;
    this.request = request;
    this.out = out;
    this.err = err;
    this.name = request.id();
  }

  /** The Delta txn appId of a backfill's commits, {@code <pipeline>/backfill-<id>}. */
  public static String appId(PipelineConfig config, String id) {
    return config.id() + "/backfill-" + id;
  }

  /** Where a backfill's checkpoints go by default: {@code <checkpoint.dir>/backfill-<id>}. */
  public static Path defaultCheckpointDirectory(PipelineConfig config, String id) {
    return config.checkpoint().directory().resolve("backfill-" + id);
  }

  /**
   * Runs the backfill; returns the exit code: 0 finished or stopped by a signal with a final
   * checkpoint, 1 failed, 2 bad request.
   */
  public int run() {
    try {
      request.range().check(System.currentTimeMillis());
    } catch (IllegalArgumentException e) {
      err.println("sluice: " + e.getMessage());
      return 2;
    }
    Path directory = request.checkpointDirectory() != null ? request.checkpointDirectory()
        : defaultCheckpointDirectory(config, request.id());
    Optional<BackfillRecord> recorded;
    try {
      recorded = BackfillRecord.read(directory);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("sluice: " + e.getMessage());
      return 1;
    }
    String topic = config.source().topic();
    String range = request.range().describe();
    Optional<String> mismatch =
        recorded.flatMap(r -> r.mismatch(config.id(), topic, range));
    if (mismatch.isPresent()) {
      err.println("sluice: backfill '" + name + "' cannot run over " + range + ": its checkpoint"
          + " directory " + directory + " holds another backfill (" + mismatch.get() + "; see "
          + directory.resolve(BackfillRecord.FILE) + "). A backfill id names one range of one "
          + "pipeline: give this range a new --id, or run the recorded one again.");
      return 2;
    }
    return SignalStop.run(this::stopOnSignal,
        () -> runWithServices(directory, recorded, topic, range), out, err);
  }

  /**
   * Resolves the range (or takes the recorded one) and runs the backfill, with the embedded
   * broker and catalog of the live pipeline's process when the file names them, else its own.
   */
  private int runWithServices(Path directory, Optional<BackfillRecord> recorded, String topic,
      String range) {
    try (EmbeddedServices services = new EmbeddedServices(out)) {
      String bootstrap;
      TableCommitClientFactory tables;
      try {
        bootstrap = services.bootstrap(config);
        tables = services.tables(config);
      } catch (IOException | RuntimeException e) {
        err.println("sluice: cannot start the embedded services: " + e.getMessage());
        return 1;
      }
      return runWith(bootstrap, tables, directory, recorded, topic, range);
    }
  }

  private int runWith(String bootstrap, TableCommitClientFactory tables, Path directory,
      Optional<BackfillRecord> recorded, String topic, String range) {
    KafkaSource probe = PipelineJob.source(config, bootstrap);
    BackfillRange.Offsets offsets;
    try {
      probe.checkTopic();
      offsets = recorded.isPresent() ? recorded.get().offsets()
          : request.range().resolve(
              probe.earliestOffsets(), probe.endOffsets(), probe::offsetsForTime);
    } catch (KafkaTopicCheckException e) {
      err.println("sluice: " + PipelineFailures.describe(config, e));
      return PipelineFailures.exitCode(e);
    } catch (IllegalArgumentException e) {
      err.println("sluice: " + e.getMessage());
      return 2;
    }
    if (recorded.isEmpty()) {
      if (offsets.total() == 0) {
        out.println("sluice: backfill '" + name + "': topic " + topic + " holds no records in "
            + range + "; nothing to do");
        return 0;
      }
      try {
        new BackfillRecord(config.id(), topic, range, offsets).write(directory);
      } catch (UncheckedIOException e) {
        err.println("sluice: " + e.getMessage() + ": " + e.getCause());
        return 1;
      }
    }
    out.println("sluice: backfill '" + name + "' of pipeline '" + config.id() + "': " + topic
        + " " + range + " -> " + config.sink().table() + " (txn appId "
        + appId(config, request.id()) + "), " + offsets.total() + " records in partitions "
        + offsets.start().keySet() + " from offsets " + offsets.start() + " to "
        + offsets.stop() + "; checkpoints in " + directory);
    KafkaSource source = PipelineJob.sourceBuilder(config, bootstrap)
        .startPosition(StartPosition.offsets(offsets.start()))
        .stopOffsets(offsets.stop())
        .groupId(null) // also one given as a consumer property: the live pipeline's group
        .build();
    String appId = appId(config, request.id());
    PipelineJob job = PipelineJob.create(config,
        new PipelineJob.Identity(appId, appId, directory), source,
        tables, RunOptions.NONE);
    return runJob(job, offsets);
  }

  /** SIGINT or SIGTERM: a final checkpoint, which the next run of the backfill continues from. */
  private void stopOnSignal() {
    stopRequested = true;
    JobHandle running = handle;
    if (running != null && running.isRunning()) {
      stop(running);
    }
  }

  private void stop(JobHandle job) {
    err.println("sluice: stopping backfill '" + name + "' with a final checkpoint; run it again to"
        + " continue");
    job.stopWithCheckpoint();
    PipelineRun.awaitStop(job, request.stopTimeout(), err);
  }

  private int runJob(PipelineJob job, BackfillRange.Offsets offsets) {
    if (request.terminal()) {
      quietInfoLogs();
    }
    long started = System.nanoTime();
    handle = job.environment().start();
    if (stopRequested) {
      stop(handle);
    }
    BackfillProgress progress = BackfillProgress.start(name, offsets, job.source().metrics(),
        handle, out, request.terminal(), request.progressInterval());
    JobResult result;
    try {
      result = handle.await();
    } catch (JobFailedException e) {
      progress.close();
      err.println("sluice: " + PipelineFailures.describe(config,
          "backfill '" + name + "' of pipeline '" + config.id() + "'", e));
      explainRefusal(e);
      e.printStackTrace(err);
      return 1;
    } catch (InterruptedException e) {
      progress.close();
      Thread.currentThread().interrupt();
      return 1;
    }
    progress.close();
    long done = progress.sample();
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf("sluice: backfill '%s' %s: %d of %d records of the range done; this run read %d"
            + " records in %.1f s (%.0f records/s), peak RSS %s%n",
        name, done < offsets.total() ? "stopped at checkpoint " + result.lastCompletedCheckpointId()
            + " (run it again to continue)" : "finished",
        done, offsets.total(), result.recordsWritten(), seconds,
        result.recordsWritten() / seconds, PipelineRun.peakRss());
    out.println(commits(job));
    return 0;
  }

  /** The commits of this run, the table's version and the backfill's txn version in it. */
  private String commits(PipelineJob job) {
    String appId = appId(config, request.id());
    try (TableCommitClient table = job.tableClient()) {
      return "sluice: " + job.commitLatencies().count() + " commits to " + config.sink().table()
          + " by this run; table version " + table.latestSnapshot().getVersion() + ", txn "
          + appId + " at version " + table.latestTransactionVersion(appId)
              .map(String::valueOf).orElse("none");
    } catch (RuntimeException e) {
      return "sluice: " + job.commitLatencies().count() + " commits to " + config.sink().table()
          + " by this run (cannot read the table now: " + e + ")";
    }
  }

  /**
   * What the table's refusal means for a backfill: its checkpoint directory is not the one its
   * commits were made from, so running it would add its range a second time.
   */
  private void explainRefusal(JobFailedException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof LineageConflictException || t instanceof TableAheadOfCheckpointException) {
        err.println("sluice: the table already holds commits of backfill '" + name + "' (txn "
            + appId(config, request.id()) + ") made from another copy of its checkpoint "
            + "directory: the directory was deleted, moved or replaced since. Run from scratch, "
            + "the backfill would add its range to the table a second time, so nothing was read "
            + "or written. Restore the checkpoint directory it ran from; or, only once its rows "
            + "are removed from the table, backfill the range under a new --id.");
        return;
      }
    }
  }

  /**
   * Leaves the INFO log lines out while a progress bar is drawn (warnings still show), unless the
   * user configured the logging.
   */
  private static void quietInfoLogs() {
    if (System.getProperty("logback.configurationFile") == null
        && LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.WARN);
    }
  }
}
