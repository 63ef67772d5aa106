package io.sluice.service.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/** The steps the soaks ({@link SoakRun}, {@link ServeSoak}) share around the process they watch. */
final class Soak {
  private Soak() {}

  /** A soak run in its work directory; returns whether it passed. */
  interface Run {
    boolean passed(Path work) throws Exception;
  }

  /**
   * Runs {@code soak} in a new temporary work directory, which is deleted when it passed unless
   * {@code SOAK_KEEP} is set, then exits: 0 when it passed, 1 otherwise.
   *
   * @param name the soak's name: prefixes its directory and its lines
   */
  static void runAndExit(String name, Run soak) throws Exception {
    Path work = Files.createTempDirectory("sluice-" + name + "-");
    boolean passed = soak.passed(work);
    if (passed && System.getenv("SOAK_KEEP") == null) {
      BenchmarkPipeline.deleteRecursively(work);
    } else {
      System.out.println(name + ": the work directory is kept: " + work);
    }
    System.exit(passed ? 0 : 1);
  }

  /**
   * Waits until {@code minute} minutes after {@code start} (a {@link System#nanoTime()}), asking
   * {@code problem} about once a second what went wrong meanwhile; returns its first answer that
   * is not null, or null at the minute.
   */
  static String awaitMinute(long start, int minute, Supplier<String> problem)
      throws InterruptedException {
    long due = start + TimeUnit.MINUTES.toNanos(minute);
    while (System.nanoTime() < due) {
      String found = problem.get();
      if (found != null) {
        return found;
      }
      Thread.sleep(Math.min(1_000,
          Math.max(1, TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime()))));
    }
    return null;
  }

  /** Stops {@code process} with SIGTERM, or SIGKILL when it has not exited {@code timeout} later. */
  static String stop(Process process, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    process.destroy();
    if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return String.format("stopped by SIGTERM in %.1f s (exit status %d)",
          (System.nanoTime() - start) / 1e9, process.exitValue());
    }
    process.destroyForcibly();
    process.waitFor();
    return "killed: still running " + timeout.toSeconds() + " s after SIGTERM";
  }

  /**
   * How fast {@code figure} grew per minute in the first and in the second half of {@code
   * minutes} (the samples of minutes 1, 2, 3... in order; at least 3), as {@code "+a / +b"}: what
   * grows as fast at the end as at the start does not level off. The halves are {@link #halves}.
   */
  static <S> String growth(List<S> minutes, ToDoubleFunction<S> figure) {
    int middle = middle(minutes.size());
    int last = minutes.size() - 1;
    double early = (figure.applyAsDouble(minutes.get(middle))
        - figure.applyAsDouble(minutes.get(0))) / middle;
    double late = (figure.applyAsDouble(minutes.get(last))
        - figure.applyAsDouble(minutes.get(middle))) / (last - middle);
    return String.format("%+.1f / %+.1f", early, late);
  }

  /** The halves that {@link #growth} compares, e.g. {@code "minutes 1-15 against 15-30"}. */
  static String halves(int samples) {
    return "minutes 1-" + (middle(samples) + 1) + " against " + (middle(samples) + 1) + "-"
        + samples;
  }

  /** The index of the sample that ends the first half and starts the second. */
  private static int middle(int samples) {
    return (samples - 1) / 2;
  }

  /** The machine's load average over the last minute ({@code /proc/loadavg}), or {@code -}. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "-";
    }
  }

  /**
   * Until closed, a shutdown hook kills the watched process should the soak end first (an
   * interrupted soak leaves no JVM behind); closing kills it when it still runs.
   */
  static final class ProcessGuard implements AutoCloseable {
    private final Process process;
    private final Thread killOnExit;

    ProcessGuard(Process process) {
      this.process = process;
      this.killOnExit = new Thread(process::destroyForcibly, "soak-process-killer");
      Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    }
  }

  /** The last {@code count} lines of {@code log}. */
  static List<String> tail(Path log, int count) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return lines.subList(Math.max(0, lines.size() - count), lines.size());
  }
}
