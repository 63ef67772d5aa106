package io.sluice.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The tarball extracted into a directory, its {@code bin/sluice} run as on a host that has a Java
 * runtime and nothing else: an environment holding only a PATH of that runtime's {@code bin}
 * (no {@code chmod}, which Hadoop's local file system would run for every file it creates
 * without Sluice's own), unless a test sets more.
 */
final class Installation {
  static final Path JRE_BIN = Path.of(System.getProperty("java.home"), "bin");
  private static final long TIMEOUT_SECONDS = 120;

  final Path home;
  /** An empty directory: a PATH without java. */
  final Path noJava;

  private Installation(Path home, Path noJava) {
    this.home = home;
    this.noJava = noJava;
  }

  /** Extracts {@code tarball} (its one top directory) into {@code directory}. */
  static Installation extract(Path tarball, Path directory) throws Exception {
    Files.createDirectories(directory);
    Result tar = exec(new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", directory.toString()),
        directory.resolve("tar.log"));
    assertEquals(0, tar.exitCode(), tar::output);
    List<Path> top;
    try (var entries = Files.list(directory)) {
      top = entries.filter(Files::isDirectory).toList();
    }
    assertEquals(1, top.size(), () -> "one top directory in " + tarball + ": " + top);
    return new Installation(top.get(0), Files.createDirectories(directory.resolve("no-java")));
  }

  /** The launcher's default PATH: the Java runtime's {@code bin}. */
  String path() {
    return JRE_BIN.toString();
  }

  /** Starts {@code launcher args} in {@code workDir}, its output (stdout and stderr) to {@code log}. */
  Process start(Path launcher, Path workDir, Map<String, String> environment, Path log, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().put("PATH", path());
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** Runs {@code bin/sluice args} in {@code workDir} to its end. */
  Result run(Path workDir, Map<String, String> environment, String... args) throws Exception {
    return run(home.resolve("bin/sluice"), workDir, environment, args);
  }

  /** Runs {@code launcher args} in {@code workDir} to its end. */
  Result run(Path launcher, Path workDir, Map<String, String> environment, String... args) throws Exception {
    Path log = Files.createTempFile(workDir, "sluice-", ".log");
    return await(start(launcher, workDir, environment, log, args), log);
  }

  private static Result exec(ProcessBuilder builder, Path log) throws Exception {
    return await(builder.redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
  }

  static Result await(Process process, Path log) throws Exception {
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("no exit within " + TIMEOUT_SECONDS + " s; output:\n" + output(log));
    }
    return new Result(process.exitValue(), output(log));
  }

  static String output(Path log) throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** An exit code and everything printed. */
  record Result(int exitCode, String output) {}
}
