package io.sluice.service.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    String opts = System.getenv().getOrDefault("SLUICE_JAVA_OPTS", "-Xmx2g");
    command.addAll(List.of(opts.trim().split("\\s+")));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.sluice.service.Main",
        "run", config.toString()));
    int exit = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .start().waitFor();
    String output = Files.readString(log);
    Matcher m = SUMMARY.matcher(output);
    if (exit != 0 || !m.find()) {
      System.out.println(output);
      throw new IllegalStateException("the benchmark pipeline failed (exit " + exit + "); log above");
    }
    return new Summary(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
        Long.parseLong(m.group(3)), m.group(4) == null ? 0 : Long.parseLong(m.group(4)));
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

  static long dataFiles(Path table) throws IOException {
    try (Stream<Path> files = Files.walk(table)) {
      return files.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).count();
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
