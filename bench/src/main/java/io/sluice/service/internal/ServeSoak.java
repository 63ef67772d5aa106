package io.sluice.service.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.service.internal.SoakTable.Figures;
import io.sluice.service.internal.TableSummary.Totals;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak behind {@code bench/serve-soak.sh [MINUTES] [RATE]}: three pipelines of different
 * shapes in one {@code sluice serve} process, each fed RATE synthetic events per second from a
 * topic of its own for MINUTES minutes, the process and the tables watched from outside. Not run
 * in CI.
 *
 * <p>It starts the local KRaft broker in a temporary directory, creates a 4-partition topic per
 * pipeline, writes the three pipeline files ({@link #SHAPES}) into a directory and runs {@code
 * sluice serve DIR --admin 127.0.0.1:0} in a JVM of its own ({@link BenchmarkPipeline#startCli},
 * as {@code ./sluice} runs it; {@code SLUICE_JAVA_OPTS} sets its options), with an admin token.
 * Once every pipeline is {@code RUNNING} it starts one producer per topic ({@link
 * SyntheticEvents.ContinuousProducer}: paced by wall time, events 0, 1, 2... of one seed; the
 * dead-lettering pipeline's every {@value #MALFORMED_EVERY}th malformed). Every second it asks
 * the admin API for the pipelines' states; every minute it prints one line: the machine's load
 * average, the serve JVM's resident set size, open file descriptors and threads (from {@code
 * /proc/<pid>}), and per pipeline its table's version and live data files (Delta Kernel, {@link
 * TableSummary}), the data files on disk, the {@code _delta_log}'s bytes, the checkpoint
 * directory's bytes, the state and lag that {@code GET /api/v1/pipelines/{name}} reports, and the
 * events produced.
 *
 * <p>At the end it stops producing, waits until each table (and the dead-letter table) holds what
 * was produced for it, sends SIGTERM to serve (SIGKILL if it has not exited 3 minutes later),
 * prints a summary and reads every row of every table. It exits with status 1 (keeping the work
 * directory) unless each table holds each of its events exactly once, every pipeline stayed
 * {@code RUNNING} without a restart, the admin API always answered and serve exited with status 0.
 * {@code SOAK_KEEP=1} keeps the work directory anyway.
 */
public final class ServeSoak {
  private static final long SEED = 45;
  private static final int PARTITIONS = 4;
  private static final int MALFORMED_EVERY = 1000;
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration CATCH_UP = Duration.ofMinutes(3);
  /** Serve stops its pipelines together, each within its 60 s {@code --stop-timeout}. */
  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration API_TIMEOUT = Duration.ofSeconds(10);
  private static final double MIB = 1024.0 * 1024.0;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The start line of {@code sluice serve}, naming where the API listens. */
  private static final Pattern SERVING = Pattern.compile("API (http://\\S+)/api/v1/pipelines");
  /** Serve's line for a pipeline stopped by SIGTERM: what it read and committed. */
  private static final Pattern PIPELINE_STOPPED =
      Pattern.compile("pipeline \\S+ (stopped|finished): .*");
  /** A warning or error line of serve's log (logback's pattern): its level and logger. */
  private static final Pattern LOG_PROBLEM = Pattern.compile("\\] (WARN|ERROR) (\\S+) - ");

  /**
   * One pipeline file's shape: {@code sourceOptions}, {@code sinkOptions} and {@code sections} as
   * {@link SyntheticEventsPipeline#yaml}; {@code malformedEvery} the producer's malformed events
   * (0: none).
   */
  private record Shape(String name, int parallelism, String checkpointInterval,
      String sourceOptions, String sinkOptions, String sections, int malformedEvery,
      String description) {}

  /** Three shapes that exercise different parts of a pipeline side by side. */
  private static final List<Shape> SHAPES = List.of(
      new Shape("partitioned", 2, "1s", "", "partition-by: [event_type]", "", 0,
          "parallelism 2, a checkpoint every 1 s, partitioned by event_type"),
      new Shape("deduped", 2, "10s", "", "", """
          transforms:
            - dedupe:
                key: [event_id]
                within: 10m
          state:
            backend: rocksdb
            dir: %s
          """, 0, "parallelism 2, a checkpoint every 10 s, dedupe by event_id within 10m,"
              + " rocksdb state"),
      new Shape("dead-lettered", 1, "5s", "on-error: dead-letter", "", "", MALFORMED_EVERY,
          "parallelism 1, a checkpoint every 5 s, on-error: dead-letter, every "
              + MALFORMED_EVERY + "th event malformed"));

  private final int minutes;
  private final double rate;
  private final Path work;
  private final Path serveLog;
  private final String token = newToken();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(API_TIMEOUT).build();
  private final List<Watched> pipelines = new ArrayList<>();
  private final List<Sample> samples = new ArrayList<>();
  /** What went wrong without ending the soak: a pipeline out of RUNNING, the API not answering. */
  private final Set<String> incidents = new LinkedHashSet<>();
  private String api;

  /** A pipeline under watch: its table (and dead-letter table), its producer. */
  private static final class Watched implements AutoCloseable {
    final Shape shape;
    final SoakTable table;
    final SoakTable deadLetters;
    SyntheticEvents.ContinuousProducer producer;

    Watched(Shape shape, SoakTable table, SoakTable deadLetters) {
      this.shape = shape;
      this.table = table;
      this.deadLetters = deadLetters;
    }

    String name() {
      return shape.name();
    }

    /** Of the events {@code 0..produced-1}, whether event {@code index} is malformed. */
    boolean malformed(long index) {
      return SyntheticEvents.isMalformed(index, shape.malformedEvery());
    }

    /** How many of the first {@code produced} events are malformed. */
    long malformedOf(long produced) {
      return shape.malformedEvery() == 0 ? 0 : produced / shape.malformedEvery();
    }

    @Override
    public void close() {
      if (producer != null) {
        producer.close();
      }
      table.close();
      if (deadLetters != null) {
        deadLetters.close();
      }
    }
  }

  /** A pipeline at one moment: its table, and its state and lag as the API reports them. */
  private record PipelineSample(Figures table, String state, String lag, long produced) {}

  /** What the soak sees at one moment: the serve process, then each pipeline. */
  private record Sample(String label, String load, OptionalLong rssKib, OptionalLong openFiles,
      OptionalLong threads, List<PipelineSample> pipelines) {}

  private ServeSoak(int minutes, double rate, Path work) {
    this.minutes = minutes;
    this.rate = rate;
    this.work = work;
    this.serveLog = work.resolve("serve.log");
  }

  private static String newToken() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    double rate = args.length > 1 ? Double.parseDouble(args[1].replace("_", "")) : 1000;
    if (minutes < 1 || !(rate > 0)) {
      throw new IllegalArgumentException("expected MINUTES >= 1 and RATE > 0, got " + minutes
          + ", " + rate);
    }
    Soak.runAndExit("serve-soak", work -> new ServeSoak(minutes, rate, work).run());
  }

  /** Runs the soak; returns whether it passed. */
  private boolean run() throws Exception {
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(work.resolve("kafka"))) {
      Path directory = writePipelines(broker);
      Path tokenFile = work.resolve("admin-token");
      Files.writeString(tokenFile, token);
      System.out.printf("serve-soak: %d minutes, %,.0f events/s per pipeline, each from a"
              + " %d-partition topic of its own; serve JVM %s; load average %s; work directory"
              + " %s%n", minutes, rate, PARTITIONS, BenchmarkPipeline.javaOptions(),
          Soak.loadAverage(), work);
      for (Shape shape : SHAPES) {
        System.out.println("serve-soak: pipeline " + shape.name() + ": " + shape.description());
      }
      Process serve = BenchmarkPipeline.startCli(serveLog, "serve", directory.toString(),
          "--admin", "127.0.0.1:0", "--admin-token-file", tokenFile.toString());
      try (Soak.ProcessGuard guard = new Soak.ProcessGuard(serve)) {
        String problem = awaitRunning(serve);
        if (problem != null) {
          return failed(problem);
        }
        System.out.println("serve-soak: sluice serve (pid " + serve.pid() + ") runs the three"
            + " pipelines; API " + api + "/api/v1/pipelines");
        return soak(broker.bootstrapServers(), serve);
      } finally {
        pipelines.forEach(Watched::close);
      }
    }
  }

  /** Creates each pipeline's topic and writes its file; returns the pipeline directory. */
  private Path writePipelines(LocalKafkaBroker broker) throws IOException {
    Path directory = Files.createDirectories(work.resolve("pipelines"));
    for (Shape shape : SHAPES) {
      broker.createTopic(shape.name(), PARTITIONS);
      Path table = work.resolve("tables").resolve(shape.name());
      Path checkpoints = work.resolve("checkpoints").resolve(shape.name());
      String sections = shape.sections().formatted(work.resolve("state").resolve(shape.name()));
      Files.writeString(directory.resolve(shape.name() + ".yaml"), SyntheticEventsPipeline.yaml(
          shape.name(), broker.bootstrapServers(), shape.name(), false, shape.parallelism(),
          shape.sourceOptions(), table.toString(), shape.sinkOptions(),
          shape.checkpointInterval(), checkpoints, sections));
      SoakTable deadLetters = shape.malformedEvery() == 0 ? null
          : new SoakTable(Path.of(table + "_dead_letters"), checkpoints); // the default location
      pipelines.add(new Watched(shape, new SoakTable(table, checkpoints), deadLetters));
    }
    return directory;
  }

  /**
   * Waits (up to {@link #READY_TIMEOUT}) until serve names its API and reports every pipeline
   * {@code RUNNING}; returns what went wrong, or null.
   */
  private String awaitRunning(Process serve) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!serve.isAlive()) {
        return "sluice serve exited with status " + serve.exitValue() + " while starting";
      }
      if (api == null) {
        Matcher serving = SERVING.matcher(Files.readString(serveLog));
        api = serving.find() ? serving.group(1) : null;
      } else if (notRunning().isEmpty()) {
        return null;
      }
      Thread.sleep(200);
    }
    return api == null ? "sluice serve did not name its API within " + READY_TIMEOUT.toSeconds()
        + " s" : "not every pipeline was RUNNING within " + READY_TIMEOUT.toSeconds() + " s: "
        + notRunning();
  }

  /** The pipelines that are not RUNNING or have restarted, as the API lists them. */
  private List<String> notRunning() throws IOException, InterruptedException {
    JsonNode listed = get("/api/v1/pipelines").path("pipelines");
    List<String> out = new ArrayList<>();
    for (Watched p : pipelines) {
      JsonNode status = null;
      for (JsonNode candidate : listed) {
        if (candidate.path("name").asText().equals(p.name())) {
          status = candidate;
        }
      }
      if (status == null) {
        out.add(p.name() + " absent");
      } else if (!status.path("state").asText().equals("RUNNING")
          || status.path("restarts").asLong() > 0) {
        out.add(p.name() + " " + status.path("state").asText() + " after "
            + status.path("restarts").asLong() + " restarts");
      }
    }
    return out;
  }

  /** Produces, samples every minute, then stops serve and checks the tables. */
  private boolean soak(String bootstrap, Process serve) throws Exception {
    long start = System.nanoTime();
    for (Watched p : pipelines) {
      p.producer = SyntheticEvents.startContinuousWithMalformed(bootstrap, p.name(), rate, SEED,
          p.shape.malformedEvery());
    }
    printHeader();
    for (int minute = 1; minute <= minutes; minute++) {
      int current = minute;
      String problem = Soak.awaitMinute(start, minute, () -> watch(current, serve));
      if (problem != null) {
        return failed(problem);
      }
      print(sample(String.valueOf(minute), serve));
    }
    long[] produced = new long[pipelines.size()];
    for (int i = 0; i < produced.length; i++) {
      Watched p = pipelines.get(i);
      p.producer.close(); // stops and waits until every event sent is acknowledged
      if (p.producer.failure() != null) {
        return failed("producing into " + p.name() + " failed: " + p.producer.failure());
      }
      produced[i] = p.producer.produced();
    }
    awaitCaughtUp(produced, serve);
    String peakRss = ProcessStatus.mib(String.valueOf(serve.pid()), "VmHWM");
    String beforeStop = watch(minutes, serve); // the states after the catch-up
    if (beforeStop != null) {
      incidents.add("before the stop: " + beforeStop);
    }
    String stop = Soak.stop(serve, STOP_TIMEOUT); // SIGTERM: serve stops each with a final commit
    Sample end = sample("end", serve);
    print(end);
    System.out.println("serve-soak: serve " + stop + "; peak RSS (VmHWM) " + peakRss);
    summarize(end);
    reportServeLog();
    boolean exact = checkExactlyOnce(produced);
    boolean cleanStop = serve.exitValue() == 0;
    if (!cleanStop) {
      incidents.add("serve " + stop);
    }
    incidents.forEach(incident -> System.out.println("serve-soak: incident: " + incident));
    boolean passed = exact && incidents.isEmpty();
    System.out.println("serve-soak: " + (passed ? "PASSED" : "FAILED") + ": "
        + (exact ? "every table exactly once" : "a table NOT exactly once") + ", "
        + (incidents.isEmpty() ? "every pipeline RUNNING throughout without a restart, serve"
            + " stopped cleanly" : incidents.size() + " incidents"));
    return passed;
  }

  /**
   * What ends the soak in {@code minute}: serve exited, a producer failed; else null. A pipeline
   * out of {@code RUNNING} or an API without answer is an incident: the soak goes on, and fails.
   */
  private String watch(int minute, Process serve) {
    if (!serve.isAlive()) {
      return "sluice serve exited with status " + serve.exitValue() + " in minute " + minute;
    }
    for (Watched p : pipelines) {
      if (p.producer.failure() != null) {
        return "producing into " + p.name() + " failed in minute " + minute + ": "
            + p.producer.failure();
      }
    }
    try {
      for (String problem : notRunning()) {
        if (incidents.add("minute " + minute + ": " + problem)) {
          System.out.println("serve-soak: minute " + minute + ": " + problem);
        }
      }
    } catch (IOException e) {
      incidents.add("minute " + minute + ": the admin API did not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
    return null;
  }

  /**
   * Waits (up to {@link #CATCH_UP} in all) until each table holds the events produced for it and
   * the dead-letter table the malformed ones.
   */
  private void awaitCaughtUp(long[] produced, Process serve) throws Exception {
    long stopped = System.nanoTime();
    for (int i = 0; i < produced.length; i++) {
      Watched p = pipelines.get(i);
      long malformed = p.malformedOf(produced[i]);
      Duration left = CATCH_UP.minusNanos(System.nanoTime() - stopped);
      Totals rows = p.table.awaitRows(produced[i] - malformed, left, serve::isAlive);
      String deadLetters = "";
      if (p.deadLetters != null) {
        left = CATCH_UP.minusNanos(System.nanoTime() - stopped);
        deadLetters = String.format(", its dead-letter table %,d of %,d",
            p.deadLetters.awaitRows(malformed, left, serve::isAlive).rows(), malformed);
      }
      System.out.printf("serve-soak: %s: produced %,d events; the table held %,d of %,d%s, %.1f s"
              + " after the producers stopped%n", p.name(), produced[i], rows.rows(),
          produced[i] - malformed, deadLetters, (System.nanoTime() - stopped) / 1e9);
    }
  }

  /** The serve process's figures, then each pipeline's, whose {@code produced} is read last. */
  private Sample sample(String label, Process serve) throws IOException, InterruptedException {
    String pid = String.valueOf(serve.pid());
    boolean alive = serve.isAlive();
    Sample sample = new Sample(label, Soak.loadAverage(),
        alive ? ProcessStatus.kib(pid, "VmRSS") : OptionalLong.empty(),
        alive ? ProcessStatus.openFiles(pid) : OptionalLong.empty(),
        alive ? ProcessStatus.threads(pid) : OptionalLong.empty(), new ArrayList<>());
    for (Watched p : pipelines) {
      Figures table = p.table.sample();
      String state = "-";
      String lag = "-";
      if (serve.isAlive()) {
        try {
          JsonNode status = get("/api/v1/pipelines/" + p.name());
          state = status.path("state").asText();
          lag = status.path("lag").isNull() ? "?" : status.path("lag").asText();
        } catch (IOException e) {
          incidents.add("minute " + label + ": the admin API did not answer: " + e);
          state = "NO-ANSWER";
        }
      }
      sample.pipelines().add(new PipelineSample(table, state, lag, p.producer.produced()));
    }
    if (!label.equals("end")) {
      samples.add(sample);
    }
    return sample;
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + path))
        .header("Authorization", "Bearer " + token).timeout(API_TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + response.statusCode() + " "
          + response.body());
    }
    return JSON.readTree(response.body());
  }

  private static final String PROCESS_COLUMNS = "%4s %5s %7s %5s %4s |";
  private static final String PIPELINE_COLUMNS = " %6s %5s %6s %7s %8s %-9s %6s %9s |";

  private void printHeader() {
    StringBuilder names = new StringBuilder(String.format(PROCESS_COLUMNS, "", "", "", "", ""));
    StringBuilder columns = new StringBuilder(String.format(PROCESS_COLUMNS, "min", "load",
        "RSS MiB", "fds", "thr"));
    for (Watched p : pipelines) {
      String group = String.format(PIPELINE_COLUMNS, "", "", "", "", "", "", "", "");
      names.append(String.format(" %-" + (group.length() - 2) + "s|", p.name()));
      columns.append(String.format(PIPELINE_COLUMNS, "ver", "live", "disk", "log MiB",
          "chk KiB", "state", "lag", "produced"));
    }
    System.out.println(names);
    System.out.println(columns);
  }

  private static void print(Sample s) {
    StringBuilder line = new StringBuilder(String.format(PROCESS_COLUMNS, s.label(), s.load(),
        orDash(s.rssKib(), 1024), orDash(s.openFiles(), 1), orDash(s.threads(), 1)));
    for (PipelineSample p : s.pipelines()) {
      Figures f = p.table();
      line.append(String.format(PIPELINE_COLUMNS, f.totals().version(), f.totals().files(),
          f.dataFiles().files(), String.format("%.1f", f.log().bytes() / MIB),
          String.format("%.0f", f.checkpointDir().bytes() / 1024.0), p.state(), p.lag(),
          p.produced()));
    }
    System.out.println(line);
    for (int i = 0; i < s.pipelines().size(); i++) {
      String unreadable = s.pipelines().get(i).table().unreadable();
      if (unreadable != null) {
        System.out.println("serve-soak: " + SHAPES.get(i).name() + ": the table could not be read: "
            + unreadable);
      }
    }
  }

  private static String orDash(OptionalLong value, long divisor) {
    return value.isPresent() ? String.valueOf(value.getAsLong() / divisor) : "-";
  }

  /**
   * The serve process's RSS, open files and threads first, last and at most, and how fast each
   * figure grew per minute in the first and the second half of the run.
   */
  private void summarize(Sample end) {
    if (samples.isEmpty()) {
      return;
    }
    System.out.printf("serve-soak: RSS MiB first/last/max of the minutes: %s; open fds %s;"
            + " threads %s%n",
        firstLastMax(s -> s.rssKib().orElse(0) / 1024), firstLastMax(s -> s.openFiles().orElse(0)),
        firstLastMax(s -> s.threads().orElse(0)));
    if (samples.size() < 3) {
      return;
    }
    System.out.printf("serve-soak: growth per minute, %s: RSS %s MiB, open fds %s, threads %s%n",
        Soak.halves(samples.size()), Soak.growth(samples, s -> s.rssKib().orElse(0) / 1024.0),
        Soak.growth(samples, s -> s.openFiles().orElse(0)),
        Soak.growth(samples, s -> s.threads().orElse(0)));
    for (int i = 0; i < pipelines.size(); i++) {
      Figures last = end.pipelines().get(i).table();
      System.out.printf("serve-soak: %s: growth per minute, %s: live files %s, data files on"
              + " disk %s, _delta_log %s MiB, checkpoint directory %s KiB; at the end %,d live"
              + " files, %,d on disk, _delta_log %.1f MiB, checkpoint directory %.0f KiB%n",
          pipelines.get(i).name(), Soak.halves(samples.size()),
          tableGrowth(i, f -> f.totals().files()), tableGrowth(i, f -> f.dataFiles().files()),
          tableGrowth(i, f -> f.log().bytes() / MIB),
          tableGrowth(i, f -> f.checkpointDir().bytes() / 1024.0), last.totals().files(),
          last.dataFiles().files(), last.log().bytes() / MIB,
          last.checkpointDir().bytes() / 1024.0);
    }
  }

  /** {@link Soak#growth} of a figure of pipeline number {@code pipeline}'s table. */
  private String tableGrowth(int pipeline, ToDoubleFunction<Figures> figure) {
    return Soak.growth(samples, s -> figure.applyAsDouble(s.pipelines().get(pipeline).table()));
  }

  /**
   * Serve's lines about its pipelines' stop, and its warnings and errors counted by level and
   * logger, with the first line of each kind.
   */
  private void reportServeLog() throws IOException {
    Map<String, List<String>> problems = new TreeMap<>();
    for (String line : Files.readAllLines(serveLog)) {
      Matcher stopped = PIPELINE_STOPPED.matcher(line);
      Matcher problem = LOG_PROBLEM.matcher(line);
      if (stopped.find()) {
        System.out.println("serve-soak: serve: " + stopped.group());
      } else if (problem.find()) {
        problems.computeIfAbsent(problem.group(1) + " " + problem.group(2), k -> new ArrayList<>())
            .add(line);
      }
    }
    System.out.println("serve-soak: serve's log: " + (problems.isEmpty() ? "no WARN or ERROR line"
        : problems.size() + " kinds of WARN and ERROR lines, the first of each:"));
    problems.forEach((kind, lines) ->
        System.out.println("  " + lines.size() + " x " + kind + ", first: " + lines.get(0)));
  }

  private String firstLastMax(ToLongFunction<Sample> figure) {
    long max = samples.stream().mapToLong(figure).max().orElse(0);
    return figure.applyAsLong(samples.get(0)) + " / "
        + figure.applyAsLong(samples.get(samples.size() - 1)) + " / " + max;
  }

  /** Reads every table: each holds each event meant for it exactly once. */
  private boolean checkExactlyOnce(long[] produced) throws IOException {
    boolean exact = true;
    for (int i = 0; i < produced.length; i++) {
      Watched p = pipelines.get(i);
      ExactlyOnceCheck rows = ExactlyOnceCheck.read(p.table.path(), "event_id", SEED,
          produced[i], index -> !p.malformed(index));
      System.out.println("serve-soak: " + p.name() + ": " + rows);
      exact &= rows.exact();
      if (p.deadLetters != null) {
        ExactlyOnceCheck deadLetters = ExactlyOnceCheck.read(p.deadLetters.path(), "key", SEED,
            produced[i], p::malformed);
        System.out.println("serve-soak: " + p.name() + " dead letters: " + deadLetters);
        exact &= deadLetters.exact();
      }
    }
    return exact;
  }

  private boolean failed(String problem) throws IOException {
    System.out.println("serve-soak: FAILED: " + problem + "; serve's log ends with:");
    Soak.tail(serveLog, 60).forEach(System.out::println);
    return false;
  }
}
