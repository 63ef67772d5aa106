package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The `sluice` command line in its own JVM, so a test can kill it like an operator would. */
final class PipelineProcess {
  private final Process process;
  private final Path log;

  private PipelineProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static PipelineProcess start(Path log, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(
        java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), "io.sluice.service.Main"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new PipelineProcess(p, log);
  }

  /** SIGTERM, as an operator's stop or a service manager would send; waits for the exit code. */
  int terminate(long timeoutSeconds) throws Exception {
    process.destroy();
    return awaitExit(timeoutSeconds);
  }

  /** SIGKILL: no shutdown hook, no flush, no goodbye. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Waits until {@code condition} holds, failing if this process dies or the time runs out. */
  void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      assertTrue(isAlive(), () -> "died waiting for " + what + ":\n" + KillLoop.tail(this));
      assertTrue(System.nanoTime() < deadline, () -> "no " + what + " within " + seconds
          + " s:\n" + KillLoop.tail(this));
      Thread.sleep(100);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int awaitExit(long timeoutSeconds) throws Exception {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("pipeline did not finish within " + timeoutSeconds + " s; log:\n" + logTail());
    }
    return process.exitValue();
  }

  String logTail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
