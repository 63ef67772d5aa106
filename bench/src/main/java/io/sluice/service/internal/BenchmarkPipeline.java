package io.sluice.service.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the benchmarks share: a bounded pipeline run as {@code sluice run} in its own JVM (so its
 * peak RSS is the pipeline's alone; {@code SLUICE_JAVA_OPTS} sets its JVM options, default
 * {@code -Xmx2g}), and the figures read from its output.
 */
final class BenchmarkPipeline {
  private static final Pattern SUMMARY = Pattern.compile(
      "finished: (\\d+) records in ([0-9.]+) s .*peak RSS (\\d+) MiB(?:, (\\d+) duplicates dropped)?");
  private static final Pattern CHECKPOINT = Pattern.compile(
      "checkpoint (\\d+) complete in (\\d+) ms: keyed state ([0-9.]+) MiB, ([0-9.]+) MiB written");

  private BenchmarkPipeline() {}

  /** The run's summary line. */
  record Summary(long records, double seconds, long peakRssMiB, long duplicatesDropped) {}

  /** One completed checkpoint with keyed state. */
  record Checkpoint(long id, long millis, double stateMiB, double writtenMiB) {}

  /** Runs the pipeline of {@code config} to its end; its output goes to {@code log}. */
  static Summary run(Path config, Path log) throws IOException, InterruptedException {
    int exit = start(config, log).waitFor();
    String output = Files.readString(log);
    Matcher m = SUMMARY.matcher(output);
    if (exit != 0 || !m.find()) {
      System.out.println(output);
      throw new IllegalStateException("the benchmark pipeline failed (exit " + exit + "); log above");
    }
    return new Summary(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
        Long.parseLong(m.group(3)), m.group(4) == null ? 0 : Long.parseLong(m.group(4)));
  }

  /** Starts {@code sluice run CONFIG} in a JVM of its own ({@link #startCli}). */
  static Process start(Path config, Path log) throws IOException {
    return startCli(log, "run", config.toString());
  }

  /**
   * Starts the {@code sluice} command line with {@code arguments} in a JVM of its own, as {@code
   * ./sluice} runs it: on this JVM's classpath, with the options of {@code SLUICE_JAVA_OPTS}
   * (default {@code -Xmx2g}); its output goes to {@code log}.
   */
  static Process startCli(Path log, String... arguments) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(List.of(javaOptions().split("\\s+")));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.sluice.service.Main"));
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
  }

  /** The pipeline JVM's options: {@code SLUICE_JAVA_OPTS}, default {@code -Xmx2g}. */
  static String javaOptions() {
    return System.getenv().getOrDefault("SLUICE_JAVA_OPTS", "-Xmx2g").trim();
  }

  /** The checkpoints with keyed state the run logged, in order. */
  static List<Checkpoint> checkpoints(Path log) throws IOException {
    List<Checkpoint> checkpoints = new ArrayList<>();
    Matcher m = CHECKPOINT.matcher(Files.readString(log));
    while (m.find()) {
      checkpoints.add(new Checkpoint(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
          Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4))));
    }
    return checkpoints;
  }

  /** Files and their bytes. */
  record DiskUsage(long files, long bytes) {}

  /** The regular files under {@code dir} (none when it does not exist) that {@code filter} accepts. */
  static DiskUsage diskUsage(Path dir, Predicate<Path> filter) throws IOException {
    if (!Files.exists(dir)) {
      return new DiskUsage(0, 0);
    }
    long files = 0;
    long bytes = 0;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (filter.test(path) && Files.isRegularFile(path)) {
          try {
            bytes += Files.size(path);
            files++;
          } catch (NoSuchFileException deletedMeanwhile) {
            // removed by a cleanup between listing and reading its size
          }
        }
      }
    } catch (UncheckedIOException e) {
      if (!(e.getCause() instanceof NoSuchFileException)) {
        throw e.getCause();
      }
      return diskUsage(dir, filter); // a directory went while it was walked: count again
    }
    return new DiskUsage(files, bytes);
  }

  /** Whether {@code path} is a data file of a table (Parquet, outside {@code _delta_log}). */
  static boolean isDataFile(Path path) {
    return path.toString().endsWith(".parquet") && !path.toString().contains("_delta_log");
  }

  static long dataFiles(Path table) throws IOException {
    return diskUsage(table, BenchmarkPipeline::isDataFile).files();
  }

  static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
