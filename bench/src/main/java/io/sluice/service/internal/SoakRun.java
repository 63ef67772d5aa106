package io.sluice.service.internal;

import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.service.internal.BenchmarkPipeline.DiskUsage;
import io.sluice.service.internal.SoakTable.Figures;
import io.sluice.service.internal.TableSummary.Totals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The soak behind {@code bench/soak.sh [MINUTES] [RATE] [PARTITION_BY] [PARALLELISM]}: a
 * streaming pipeline with a 1 s checkpoint interval and otherwise what a new user gets (default
 * compaction, log checkpoint and log retention settings), fed RATE synthetic events per second for
 * MINUTES minutes, watched from outside once a minute. Not run in CI.
 *
 * <p>It starts the local KRaft broker in a temporary directory, creates a 4-partition topic,
 * produces into it at RATE events/s on a background thread ({@link
 * SyntheticEvents.ContinuousProducer}: paced by wall time, events 0, 1, 2... of one seed), and
 * runs {@code sluice run} in a JVM of its own ({@link BenchmarkPipeline#start}) into a table
 * partitioned by PARTITION_BY ({@code none}: unpartitioned). Every minute it prints the table's
 * version, live data files and bytes and rows (from the log, read with Delta Kernel by {@link
 * TableSummary}), the data files on disk (live or removed by compaction and not yet vacuumed), the
 * bytes and files of {@code _delta_log} (and the bytes of its checkpoints: all, and the latest),
 * the bytes of the pipeline's checkpoint directory, the pipeline JVM's resident set size and the events produced.
 *
 * <p>At the end it stops producing, waits until the table holds every event produced, stops the
 * pipeline with SIGTERM (SIGKILL if it does not exit within a minute), prints a summary and reads
 * every row of the table: it exits with status 1 unless each event produced is there exactly once
 * (the work directory is then kept). {@code LOG_RETENTION} (e.g. {@code "10 minutes"}) sets the
 * table's {@code delta.logRetentionDuration}, 30 days unless set; {@code SLUICE_JAVA_OPTS} the
 * pipeline JVM's options.
 */
public final class SoakRun {
  private static final long SEED = 44;
  private static final int PARTITIONS = 4;
  private static final String TOPIC = "soak";
  private static final Duration CATCH_UP = Duration.ofMinutes(3);
  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);
  private static final double MIB = 1024.0 * 1024.0;
  private static final Pattern PIPELINE_SUMMARY = Pattern.compile(
      "sluice: (pipeline '.*' (stopped|finished)|\\d+ commits|no commits|\\d+ data files).*");
  private static final String HEADER = String.format(
      "%4s %7s %10s %9s %10s %10s %9s %8s %9s %9s %13s %11s %8s %10s",
      "min", "version", "live files", "live MiB", "rows", "disk files", "disk MiB",
      "log MiB", "log files", "ckpts MiB", "last ckpt KiB", "chk dir KiB", "RSS MiB", "produced");

  private final int minutes;
  private final double rate;
  private final String partitionBy;
  private final int parallelism;
  private final String logRetention;
  private final Path work;
  private final Path table;
  private final Path checkpoints;
  private final Path pipelineLog;
  private final List<Sample> samples = new ArrayList<>();

  private SoakRun(int minutes, double rate, String partitionBy, int parallelism, String logRetention,
      Path work) {
    this.minutes = minutes;
    this.rate = rate;
    this.partitionBy = partitionBy;
    this.parallelism = parallelism;
    this.logRetention = logRetention;
    this.work = work;
    this.table = work.resolve("table");
    this.checkpoints = work.resolve("checkpoints");
    this.pipelineLog = work.resolve("pipeline.log");
  }

  /** What the soak sees at one moment. */
  private record Sample(String label, Figures table, OptionalLong rssKib, long produced) {}

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    double rate = args.length > 1 ? Double.parseDouble(args[1].replace("_", "")) : 1700;
    String partitionBy = args.length > 2 ? args[2] : "event_type";
    int parallelism = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    String logRetention = System.getenv().getOrDefault("LOG_RETENTION", "").trim();
    if (minutes < 1 || !(rate > 0) || parallelism < 1) {
      throw new IllegalArgumentException("expected MINUTES >= 1, RATE > 0 and PARALLELISM >= 1, got "
          + minutes + ", " + rate + ", " + parallelism);
    }
    Soak.runAndExit("soak", work ->
        new SoakRun(minutes, rate, partitionBy, parallelism, logRetention, work).run());
  }

  /** Runs the soak; returns whether the table ends up holding each event produced exactly once. */
  private boolean run() throws Exception {
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(work.resolve("kafka"))) {
      String bootstrap = broker.bootstrapServers();
      broker.createTopic(TOPIC, PARTITIONS);
      Path config = work.resolve("soak.yaml");
      Files.writeString(config, SyntheticEventsPipeline.yaml("soak", bootstrap, TOPIC, false,
          parallelism, table.toString(), sinkOptions(), "1s", checkpoints, ""));
      System.out.printf("soak: %d minutes, %,.0f events/s into a %d-partition topic; pipeline with"
              + " parallelism %d, a checkpoint every 1 s, table %s, default compaction and log"
              + " checkpoints, delta.logRetentionDuration %s; pipeline JVM %s; work directory %s%n",
          minutes, rate, PARTITIONS, parallelism,
          partitionBy.equals("none") ? "unpartitioned" : "partitioned by " + partitionBy,
          logRetention.isEmpty() ? "default (30 days)" : logRetention,
          BenchmarkPipeline.javaOptions(), work);

      Process pipeline = BenchmarkPipeline.start(config, pipelineLog);
      long produced;
      try (Soak.ProcessGuard guard = new Soak.ProcessGuard(pipeline);
          SoakTable watched = new SoakTable(table, checkpoints)) {
        long start = System.nanoTime();
        SyntheticEvents.ContinuousProducer producer =
            SyntheticEvents.startContinuous(bootstrap, TOPIC, rate, SEED);
        try {
          System.out.println(HEADER);
          for (int minute = 1; minute <= minutes; minute++) {
            int current = minute;
            String problem = Soak.awaitMinute(start, minute, () -> problem(current, pipeline, producer));
            if (problem != null) {
              return failed(problem);
            }
            print(sample(String.valueOf(minute), watched, pipeline, producer::produced));
          }
        } finally {
          producer.close(); // stops and waits until every event sent is acknowledged
        }
        if (producer.failure() != null) {
          return failed("producing failed: " + producer.failure());
        }
        produced = producer.produced();
        long stopped = System.nanoTime();
        Totals caughtUp = watched.awaitRows(produced, CATCH_UP, pipeline::isAlive);
        System.out.printf("soak: produced %,d events in %.1f s (%,.0f events/s); %s %.1f s after"
                + " the producer stopped%n",
            produced, (stopped - start) / 1e9, produced / ((stopped - start) / 1e9),
            caughtUp.rows() == produced ? "the table held them all" : "the table held "
                + caughtUp.rows() + " rows", (System.nanoTime() - stopped) / 1e9);
        String peakRss = ProcessStatus.mib(String.valueOf(pipeline.pid()), "VmHWM");
        String stop = Soak.stop(pipeline, STOP_TIMEOUT); // SIGTERM: `sluice run` stops the job
        long total = produced;
        Sample end = sample("end", watched, pipeline, () -> total);
        print(end);
        System.out.println("soak: pipeline " + stop + ", peak RSS " + peakRss);
        summarize(end);
      }
      ExactlyOnceCheck check =
          ExactlyOnceCheck.read(table, "event_id", SEED, produced, index -> true);
      System.out.println("soak: " + check);
      return check.exact();
    }
  }

  /** The extra lines of the pipeline file's {@code sink} section. */
  private String sinkOptions() {
    StringBuilder sink = new StringBuilder();
    if (!partitionBy.equals("none")) {
      sink.append("partition-by: [").append(partitionBy).append("]\n");
    }
    if (!logRetention.isEmpty()) {
      sink.append("table-properties:\n  delta.logRetentionDuration: interval ")
          .append(logRetention).append('\n');
    }
    return sink.toString();
  }

  /** What went wrong in {@code minute}: the pipeline exited, or the producer failed; else null. */
  private static String problem(int minute, Process pipeline,
      SyntheticEvents.ContinuousProducer producer) {
    if (!pipeline.isAlive()) {
      return "the pipeline exited with status " + pipeline.exitValue() + " in minute " + minute;
    }
    return producer.failure() == null ? null
        : "producing failed in minute " + minute + ": " + producer.failure();
  }

  /** {@code produced} is read last, so that it minus the rows is what the table lags behind. */
  private Sample sample(String label, SoakTable watched, Process pipeline, LongSupplier produced)
      throws IOException, InterruptedException {
    Figures table = watched.sample();
    OptionalLong rss = pipeline.isAlive()
        ? ProcessStatus.kib(String.valueOf(pipeline.pid()), "VmRSS") : OptionalLong.empty();
    Sample sample = new Sample(label, table, rss, produced.getAsLong());
    samples.add(sample);
    return sample;
  }

  private static void print(Sample s) {
    Figures f = s.table();
    Totals t = f.totals();
    System.out.printf("%4s %7d %10d %9.1f %10s %10d %9.1f %8.1f %9d %9.1f %13.0f %11.0f %8s %10d%n",
        s.label(), t.version(), t.files(), t.bytes() / MIB,
        (t.rowsKnown() ? "" : ">=") + t.rows(), f.dataFiles().files(), f.dataFiles().bytes() / MIB,
        f.log().bytes() / MIB, f.log().files(), f.logCheckpoints().bytes() / MIB,
        f.lastLogCheckpointBytes() / 1024.0, f.checkpointDir().bytes() / 1024.0,
        s.rssKib().isPresent() ? String.valueOf(s.rssKib().getAsLong() / 1024) : "-",
        s.produced());
    if (f.unreadable() != null) {
      System.out.println("soak: the table could not be read: " + f.unreadable());
    }
  }

  /**
   * The pipeline's own summary lines, then how fast the figures grew per minute in the first and
   * the second half of the run: what grows as fast at the end as at the start does not level off.
   */
  private void summarize(Sample end) throws IOException {
    for (String line : Files.readAllLines(pipelineLog)) {
      if (PIPELINE_SUMMARY.matcher(line).matches()) {
        System.out.println("soak: " + line);
      }
    }
    Path log = table.resolve("_delta_log");
    DiskUsage commits = BenchmarkPipeline.diskUsage(log, p -> p.getFileName().toString().endsWith(".json"));
    System.out.printf("soak: _delta_log: %d commit files (%.1f MiB), %d checkpoint files (%.1f MiB),"
            + " %d other files%n",
        commits.files(), commits.bytes() / MIB, end.table().logCheckpoints().files(),
        end.table().logCheckpoints().bytes() / MIB,
        end.table().log().files() - commits.files() - end.table().logCheckpoints().files());
    List<Sample> minutes = samples.subList(0, samples.size() - 1);
    if (minutes.size() >= 3) {
      System.out.printf("soak: growth per minute, %s: live files %s,"
              + " _delta_log %s MiB, checkpoint directory %s KiB, RSS %s MiB%n",
          Soak.halves(minutes.size()),
          Soak.growth(minutes, s -> s.table().totals().files()),
          Soak.growth(minutes, s -> s.table().log().bytes() / MIB),
          Soak.growth(minutes, s -> s.table().checkpointDir().bytes() / 1024.0),
          Soak.growth(minutes, s -> s.rssKib().orElse(0) / 1024.0));
    }
  }

  private boolean failed(String problem) throws IOException {
    System.out.println("soak: FAILED: " + problem + "; the pipeline's log ends with:");
    Soak.tail(pipelineLog, 40).forEach(System.out::println);
    return false;
  }
}
