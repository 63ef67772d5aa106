package io.sluice.service.internal;

import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitClients;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.service.internal.BenchmarkPipeline.DiskUsage;
import io.sluice.service.internal.TableSummary.Totals;
import io.sluice.testing.DeltaTableReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
  private static final long CATCH_UP_SECONDS = 180;
  private static final long STOP_SECONDS = 60;
  private static final double MIB = 1024.0 * 1024.0;
  private static final Pattern PIPELINE_SUMMARY = Pattern.compile(
      "sluice: (pipeline '.*' (stopped|finished)|\\d+ commits|no commits|\\d+ data files).*");
  /** A log checkpoint's file (a part of a multi-part one, a V2 one): not its Hadoop checksum. */
  private static final Pattern LOG_CHECKPOINT = Pattern.compile("\\d{20}\\.checkpoint\\..*parquet");
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
  private record Sample(String label, Totals totals, String unreadable, DiskUsage disk,
      DiskUsage log, DiskUsage logCheckpoints, long lastLogCheckpointBytes, DiskUsage checkpointDir,
      OptionalLong rssKib, long produced) {}

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
    Path work = Files.createTempDirectory("sluice-soak-");
    boolean exact = new SoakRun(minutes, rate, partitionBy, parallelism, logRetention, work).run();
    if (exact && System.getenv("SOAK_KEEP") == null) {
      BenchmarkPipeline.deleteRecursively(work);
    } else {
      System.out.println("soak: the work directory is kept: " + work);
    }
    System.exit(exact ? 0 : 1);
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
      Thread killOnExit = new Thread(pipeline::destroyForcibly, "soak-pipeline-killer");
      Runtime.getRuntime().addShutdownHook(killOnExit); // an interrupted soak leaves no pipeline
      long produced;
      try (TableCommitClient client =
          TableCommitClients.fileSystem(table.toString(), CommitClientConfig.defaults())) {
        long start = System.nanoTime();
        SyntheticEvents.ContinuousProducer producer =
            SyntheticEvents.startContinuous(bootstrap, TOPIC, rate, SEED);
        try {
          System.out.println(HEADER);
          for (int minute = 1; minute <= minutes; minute++) {
            String problem = awaitMinute(start, minute, pipeline, producer);
            if (problem != null) {
              return failed(problem);
            }
            print(sample(String.valueOf(minute), client, pipeline, producer::produced));
          }
        } finally {
          producer.close(); // stops and waits until every event sent is acknowledged
        }
        if (producer.failure() != null) {
          return failed("producing failed: " + producer.failure());
        }
        produced = producer.produced();
        long stopped = System.nanoTime();
        Totals caughtUp = awaitRows(client, produced, pipeline);
        System.out.printf("soak: produced %,d events in %.1f s (%,.0f events/s); %s %.1f s after"
                + " the producer stopped%n",
            produced, (stopped - start) / 1e9, produced / ((stopped - start) / 1e9),
            caughtUp.rows() == produced ? "the table held them all" : "the table held "
                + caughtUp.rows() + " rows", (System.nanoTime() - stopped) / 1e9);
        String peakRss = ProcessStatus.mib(String.valueOf(pipeline.pid()), "VmHWM");
        String stop = stop(pipeline);
        long total = produced;
        Sample end = sample("end", client, pipeline, () -> total);
        print(end);
        System.out.println("soak: pipeline " + stop + ", peak RSS " + peakRss);
        summarize(end);
      } finally {
        if (pipeline.isAlive()) {
          pipeline.destroyForcibly();
        }
        Runtime.getRuntime().removeShutdownHook(killOnExit);
      }
      return checkExactlyOnce(produced);
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

  /**
   * Sleeps until {@code minute} minutes after {@code start}; returns what went wrong meanwhile
   * (the pipeline exited, the producer failed), or null.
   */
  private String awaitMinute(long start, int minute, Process pipeline,
      SyntheticEvents.ContinuousProducer producer) throws InterruptedException {
    long due = start + TimeUnit.MINUTES.toNanos(minute);
    while (System.nanoTime() < due) {
      if (!pipeline.isAlive()) {
        return "the pipeline exited with status " + pipeline.exitValue() + " in minute " + minute;
      }
      if (producer.failure() != null) {
        return "producing failed in minute " + minute + ": " + producer.failure();
      }
      Thread.sleep(Math.min(1_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime()))));
    }
    return null;
  }

  /** Waits (up to {@value #CATCH_UP_SECONDS} s) until the table holds {@code produced} rows. */
  private Totals awaitRows(TableCommitClient client, long produced, Process pipeline)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CATCH_UP_SECONDS);
    while (true) {
      Totals totals = TableSummary.totals(client.latestSnapshot(), client.engine());
      if (totals.rows() >= produced || System.nanoTime() > deadline || !pipeline.isAlive()) {
        return totals;
      }
      Thread.sleep(500);
    }
  }

  /** Stops the pipeline with SIGTERM, or SIGKILL when it has not exited a minute later. */
  private static String stop(Process pipeline) throws InterruptedException {
    long start = System.nanoTime();
    pipeline.destroy(); // SIGTERM: the shutdown hook of `sluice run` stops the job
    if (pipeline.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
      return String.format("stopped by SIGTERM in %.1f s (exit status %d)",
          (System.nanoTime() - start) / 1e9, pipeline.exitValue());
    }
    pipeline.destroyForcibly();
    pipeline.waitFor();
    return "killed: still running " + STOP_SECONDS + " s after SIGTERM";
  }

  /** {@code produced} is read last, so that it minus the rows is what the table lags behind. */
  private Sample sample(String label, TableCommitClient client, Process pipeline,
      LongSupplier produced) throws IOException, InterruptedException {
    Totals totals = null;
    String unreadable = null;
    for (int attempt = 1; totals == null; attempt++) {
      try {
        totals = Files.exists(table.resolve("_delta_log"))
            ? TableSummary.totals(client.latestSnapshot(), client.engine())
            : new Totals(-1, 0, 0, 0, true);
      } catch (RuntimeException e) { // e.g. a log file cleaned up while it was read
        if (attempt == 3) {
          unreadable = e.toString();
          totals = new Totals(-1, 0, 0, 0, false);
        } else {
          Thread.sleep(1_000);
        }
      }
    }
    Path log = table.resolve("_delta_log");
    Sample sample = new Sample(label, totals, unreadable,
        BenchmarkPipeline.diskUsage(table, BenchmarkPipeline::isDataFile),
        BenchmarkPipeline.diskUsage(log, p -> true),
        BenchmarkPipeline.diskUsage(log, p -> p.getFileName().toString().contains(".checkpoint")),
        lastLogCheckpointBytes(log),
        BenchmarkPipeline.diskUsage(checkpoints, p -> true),
        pipeline.isAlive() ? ProcessStatus.kib(String.valueOf(pipeline.pid()), "VmRSS")
            : OptionalLong.empty(),
        produced.getAsLong());
    samples.add(sample);
    return sample;
  }

  /** The bytes of the log's latest checkpoint (all its parts), 0 before the first. */
  private static long lastLogCheckpointBytes(Path log) throws IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    List<String> names;
    try (Stream<Path> files = Files.list(log)) {
      names = files.map(p -> p.getFileName().toString())
          .filter(name -> LOG_CHECKPOINT.matcher(name).matches()).sorted().toList();
    }
    if (names.isEmpty()) {
      return 0;
    }
    String version = names.get(names.size() - 1).substring(0, 20);
    long bytes = 0;
    for (String name : names) {
      if (name.startsWith(version)) {
        try {
          bytes += Files.size(log.resolve(name));
        } catch (NoSuchFileException cleanedUp) {
          // deleted by the log cleanup meanwhile
        }
      }
    }
    return bytes;
  }

  private static void print(Sample s) {
    Totals t = s.totals();
    System.out.printf("%4s %7d %10d %9.1f %10s %10d %9.1f %8.1f %9d %9.1f %13.0f %11.0f %8s %10d%n",
        s.label(), t.version(), t.files(), t.bytes() / MIB,
        (t.rowsKnown() ? "" : ">=") + t.rows(), s.disk().files(), s.disk().bytes() / MIB,
        s.log().bytes() / MIB, s.log().files(), s.logCheckpoints().bytes() / MIB,
        s.lastLogCheckpointBytes() / 1024.0, s.checkpointDir().bytes() / 1024.0,
        s.rssKib().isPresent() ? String.valueOf(s.rssKib().getAsLong() / 1024) : "-",
        s.produced());
    if (s.unreadable() != null) {
      System.out.println("soak: the table could not be read: " + s.unreadable());
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
        commits.files(), commits.bytes() / MIB, end.logCheckpoints().files(),
        end.logCheckpoints().bytes() / MIB,
        end.log().files() - commits.files() - end.logCheckpoints().files());
    List<Sample> minutes = samples.subList(0, samples.size() - 1);
    if (minutes.size() >= 4) {
      int half = minutes.size() / 2;
      Sample first = minutes.get(0);
      Sample middle = minutes.get(half - 1);
      Sample last = minutes.get(minutes.size() - 1);
      System.out.printf("soak: growth per minute, minutes %s-%s against %s-%s: live files %s,"
              + " _delta_log %s MiB, checkpoint directory %s KiB, RSS %s MiB%n",
          first.label(), middle.label(), middle.label(), last.label(),
          growth(first, middle, last, s -> s.totals().files()),
          growth(first, middle, last, s -> s.log().bytes() / MIB),
          growth(first, middle, last, s -> s.checkpointDir().bytes() / 1024.0),
          growth(first, middle, last, s -> s.rssKib().orElse(0) / 1024.0));
    }
  }

  private static String growth(Sample first, Sample middle, Sample last,
      java.util.function.ToDoubleFunction<Sample> figure) {
    double early = (figure.applyAsDouble(middle) - figure.applyAsDouble(first))
        / (Integer.parseInt(middle.label()) - Integer.parseInt(first.label()));
    double late = (figure.applyAsDouble(last) - figure.applyAsDouble(middle))
        / (Integer.parseInt(last.label()) - Integer.parseInt(middle.label()));
    return String.format("%+.1f / %+.1f", early, late);
  }

  /**
   * Reads every row's {@code event_id} (Delta Kernel, {@link DeltaTableReader}): each of the
   * events {@code 0..produced-1} must be there once, and nothing else.
   */
  private boolean checkExactlyOnce(long produced) throws IOException {
    BitSet seen = new BitSet((int) produced);
    long[] rows = new long[1];
    long[] duplicates = new long[1];
    long[] unknown = new long[1];
    long start = System.nanoTime();
    new DeltaTableReader(table.toString()).forEach(List.of("event_id"), row -> {
      rows[0]++;
      long index = eventIndex((String) row[0]);
      if (index < 0 || index >= produced) {
        unknown[0]++;
      } else if (seen.get((int) index)) {
        duplicates[0]++;
      } else {
        seen.set((int) index);
      }
    });
    long distinct = seen.cardinality();
    boolean exact = rows[0] == produced && distinct == produced && duplicates[0] == 0
        && unknown[0] == 0;
    System.out.printf("soak: %s: %,d rows, %,d distinct event ids of %,d produced, %,d duplicates,"
            + " %,d missing, %,d not produced (read in %.1f s)%n",
        exact ? "EXACTLY ONCE" : "NOT EXACTLY ONCE", rows[0], distinct, produced, duplicates[0],
        produced - distinct, unknown[0], (System.nanoTime() - start) / 1e9);
    return exact;
  }

  /** The index of a synthetic event id of {@link #SEED}, or -1 for any other value. */
  private static long eventIndex(String eventId) {
    try {
      UUID id = UUID.fromString(eventId);
      return id.getMostSignificantBits() == SEED ? id.getLeastSignificantBits() : -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private boolean failed(String problem) throws IOException {
    System.out.println("soak: FAILED: " + problem + "; the pipeline's log ends with:");
    List<String> lines = Files.readAllLines(pipelineLog);
    lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
    return false;
  }
}
