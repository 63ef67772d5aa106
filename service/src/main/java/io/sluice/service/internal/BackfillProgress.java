package io.sluice.service.internal;

import io.sluice.engine.JobHandle;
import io.sluice.kafka.KafkaSourceMetrics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * How far a running backfill is through its range: the offsets read of the records in range
 * (transaction markers count as records), the rate since this run started reading and the time
 * left at that rate. On a terminal a progress bar (me.tongfei:progressbar) redrawn twice a second,
 * otherwise a line every interval.
 */
final class BackfillProgress implements AutoCloseable {
  private static final long BAR_REDRAW_MILLIS = 500;

  private final String name;
  private final BackfillRange.Offsets range;
  private final KafkaSourceMetrics source;
  private final JobHandle job;
  private final PrintStream out;
  private final boolean terminal;
  private final Duration interval;
  private final Thread thread;
  /** The highest next offset seen of each partition: readers publish theirs until they close. */
  private final Map<Integer, Long> reached = new HashMap<>();
  /** Done when this run's readers first told their offsets (a resumed run starts part-way). */
  private long startDone = -1;
  private long startNanos;
  private ProgressBar bar;

  private BackfillProgress(String name, BackfillRange.Offsets range, KafkaSourceMetrics source,
      JobHandle job, PrintStream out, boolean terminal, Duration interval) {
    this.name = name;
    this.range = range;
    this.source = source;
    this.job = job;
    this.out = out;
    this.terminal = terminal;
    this.interval = interval;
    this.thread = new Thread(this::report, "sluice-backfill-progress");
    thread.setDaemon(true);
  }

  /**
   * Starts reporting until {@link #close()}.
   *
   * @param terminal a bar on {@code out} instead of lines
   * @param interval between two lines
   */
  static BackfillProgress start(String name, BackfillRange.Offsets range,
      KafkaSourceMetrics source, JobHandle job, PrintStream out, boolean terminal,
      Duration interval) {
    BackfillProgress progress =
        new BackfillProgress(name, range, source, job, out, terminal, interval);
    progress.thread.start();
    return progress;
  }

  private void report() {
    try {
      while (job.isRunning()) {
        Thread.sleep(terminal ? BAR_REDRAW_MILLIS : interval.toMillis());
        long done = sample();
        if (!readersReported()) {
          if (!terminal) {
            out.println("sluice: backfill '" + name + "': starting (" + range.total()
                + " records in the range)");
          }
        } else if (terminal) {
          bar().stepTo(done);
        } else {
          out.println(line(name, done, range.total(), perSecond(done),
              job.lastCompletedCheckpointId()));
        }
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  /** Offsets of the range done, from what the readers published so far. */
  synchronized long sample() {
    source.partitionPositions().forEach((p, next) -> reached.merge(p, next, Math::max));
    long done = range.done(reached);
    if (startDone < 0 && !reached.isEmpty()) {
      startDone = done;
      startNanos = System.nanoTime();
    }
    return done;
  }

  /** Whether this run's readers told where they stand. */
  private synchronized boolean readersReported() {
    return startDone >= 0;
  }

  /** Offsets per second since this run's readers opened, or 0 before. */
  private synchronized double perSecond(long done) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    return startDone < 0 || seconds <= 0 ? 0 : (done - startDone) / seconds;
  }

  /** The bar, built once this run's readers told where they start (for a true rate and ETA). */
  private ProgressBar bar() {
    if (bar == null) {
      bar = new ProgressBarBuilder()
          .setTaskName("backfill " + name)
          .setInitialMax(range.total())
          .setConsumer(new ConsoleProgressBarConsumer(out))
          .setUpdateIntervalMillis((int) BAR_REDRAW_MILLIS)
          .setUnit(" records", 1)
          .showSpeed()
          .startsFrom(Math.max(0, startDone), Duration.ZERO)
          .build();
    }
    return bar;
  }

  /** Stops reporting; the bar shows where the run ended. */
  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (terminal) {
      bar().stepTo(sample());
      bar.close();
    }
  }

  /**
   * {@code sluice: backfill 'NAME': 120000 of 500000 records (24.0%), 35000 records/s, ETA
   * 0:00:11, checkpoint 3}; the ETA is unknown until the rate is.
   */
  static String line(String name, long done, long total, double perSecond, long checkpoint) {
    double percent = total == 0 ? 100 : 100.0 * done / total;
    String eta = perSecond <= 0 ? "unknown" : clock(Math.round((total - done) / perSecond));
    return String.format(Locale.ROOT,
        "sluice: backfill '%s': %d of %d records (%.1f%%), %.0f records/s, ETA %s, checkpoint %d",
        name, done, total, percent, perSecond, eta, checkpoint);
  }

  /** {@code H:MM:SS}. */
  private static String clock(long seconds) {
    return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60,
        seconds % 60);
  }
}
