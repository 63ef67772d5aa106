package io.sluice.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.distribution.Installation.Result;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.testing.DeltaTableReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball that {@code mvn package} builds, extracted into a directory outside the repository
 * (its path has a space) and run from other directories with nothing but a Java runtime: no Maven,
 * no repository of jars, no environment but the PATH.
 */
@ExtendWith(LocalKafkaExtension.class)
class TarballIT {
  private static final String VERSION = System.getProperty("sluice.version");
  /** A stop on SIGTERM that committed its final checkpoint is a success. */
  private static final int SIGTERM_EXIT = 0;
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  @TempDir static Path root;
  private static Installation installation;

  @BeforeAll
  static void extract() throws Exception {
    installation = Installation.extract(Path.of(System.getProperty("sluice.tarball")), root.resolve("opt sluice"));
  }

  @Test
  void holdsTheLauncherTheServiceWithItsRuntimeJarsTheBrokerJarsTheConfigsAndTheDocs() throws Exception {
    Path home = installation.home;
    assertEquals("sluice-" + VERSION, home.getFileName().toString());
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("bin/sluice"))));
    List<String> lib = names(home.resolve("lib"));
    for (String jar : List.of("sluice-service-" + VERSION + ".jar", "sluice-engine-" + VERSION + ".jar",
        "delta-kernel-api-", "kafka-clients-", "rocksdbjni-", "logback-classic-")) {
      assertTrue(lib.stream().anyMatch(name -> name.startsWith(jar)), () -> jar + " in lib/: " + lib);
    }
    assertTrue(lib.stream().noneMatch(TarballIT::isTestJar), () -> "test jars in lib/: " + lib);
    List<String> brokerJars = names(home.resolve("lib/local-kafka"));
    assertTrue(brokerJars.stream().anyMatch(name -> name.startsWith("kafka_2.13-")), brokerJars::toString);
    assertTrue(brokerJars.stream().noneMatch(TarballIT::isTestJar), () -> "test jars in lib/local-kafka/: " + brokerJars);

    String configsReadme = Files.readString(home.resolve("configs/README.md"));
    List<String> configs = names(home.resolve("configs")).stream().filter(n -> n.endsWith(".yaml")).toList();
    assertTrue(configs.contains("demo.yaml"), configs::toString);
    for (String config : configs) {
      assertTrue(configsReadme.contains("`" + config + "`"), () -> "configs/README.md describes " + config);
    }
    for (String doc : List.of("README.md", "docs/configuration.md", "docs/architecture.md",
        "docs/deploy/README.md", "docs/deploy/sluice.service", "docs/deploy/kubernetes.yaml")) {
      assertTrue(Files.isRegularFile(home.resolve(doc)), doc);
    }
  }

  @Test
  void printsItsVersionAndValidatesTheExamplePipelinesWithNothingButAJavaRuntime(@TempDir Path work)
      throws Exception {
    Result version = installation.run(work, Map.of(), "--version");
    assertEquals(0, version.exitCode(), version::output);
    assertEquals("sluice " + VERSION, version.output().strip());

    Path demo = installation.home.resolve("configs/demo.yaml");
    Result validate = installation.run(work, Map.of(), "validate", demo.toString());
    assertEquals(0, validate.exitCode(), validate::output);
    assertTrue(validate.output().startsWith(demo + ": valid pipeline 'demo-events'"), validate::output);

    // The environment reaches the pipeline file's ${...}.
    Result orders = installation.run(work, Map.of("KAFKA_BOOTSTRAP", "broker-1.example.com:9092"),
        "validate", installation.home.resolve("configs/orders-from-kafka.yaml").toString());
    assertEquals(0, orders.exitCode(), orders::output);
    assertTrue(orders.output().contains("topic orders at broker-1.example.com:9092"), orders::output);
  }

  @Test
  void runsAsAUserWithoutAPasswdEntry(@TempDir Path work) throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(SETPRIV),
        "switching to another UID takes root and setpriv");
    // A container's arbitrary runAsUser: a UID that /etc/passwd does not name.
    String uid = "54321";
    assumeFalse(Files.readAllLines(Path.of("/etc/passwd")).stream()
        .anyMatch(entry -> entry.split(":")[2].equals(uid)), "UID " + uid + " has a passwd entry");
    for (Path dir : List.of(installation.home, work)) {
      for (Path up = dir; up != null; up = up.getParent()) {
        openToOthers(up);
      }
    }
    Path table = work.resolve("table");
    Path log = Files.createDirectories(table.resolve("_delta_log"));
    Files.writeString(log.resolve("00000000000000000000.json"), """
        {"protocol":{"minReaderVersion":1,"minWriterVersion":2}}
        {"metaData":{"id":"9b0e2c1a-0000-4000-8000-000000000001","format":{"provider":"parquet",\
        "options":{}},"schemaString":"{\\"type\\":\\"struct\\",\\"fields\\":[{\\"name\\":\\"id\\",\
        \\"type\\":\\"string\\",\\"nullable\\":true,\\"metadata\\":{}}]}","partitionColumns":[],\
        "configuration":{},"createdTime":1700000000000}}
        """);
    openToOthers(table);
    openToOthers(log);

    Result shown = installation.run(SETPRIV, work, Map.of(), "--reuid=" + uid, "--regid=" + uid,
        "--clear-groups", installation.home.resolve("bin/sluice").toString(), "table",
        table.toString());

    assertEquals(0, shown.exitCode(), shown::output);
    assertTrue(shown.output().contains("rows:       0"), shown::output);
  }

  private static void openToOthers(Path dir) throws IOException {
    Set<PosixFilePermission> permissions = new HashSet<>(Files.getPosixFilePermissions(dir));
    permissions.addAll(Set.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
    Files.setPosixFilePermissions(dir, permissions);
  }

  @Test
  void passesJavaOptsThenSluiceOptsToTheJvmWordByWordWithoutExpandingFileNames(@TempDir Path work)
      throws Exception {
    Files.createFile(work.resolve("-Dsluice.glob=expanded")); // what the shell would expand * to
    Result result = installation.run(work, Map.of(
            "JAVA_OPTS", "-Dsluice.probe=java-opts  -Dsluice.glob=*",
            "SLUICE_OPTS", "-Dsluice.probe=sluice-opts -XshowSettings:properties"),
        "--version");

    assertEquals(0, result.exitCode(), result::output);
    assertTrue(result.output().contains("sluice.probe = sluice-opts\n"), result::output); // the later wins
    assertTrue(result.output().contains("sluice.glob = *\n"), result::output);
    assertTrue(result.output().strip().endsWith("sluice " + VERSION), result::output);
  }

  @Test
  void findsJavaThroughJavaHomeOrThePathAndRefusesAJavaOlderThan17(@TempDir Path work) throws Exception {
    String noJava = installation.noJava.toString();
    Result none = installation.run(work, Map.of("PATH", noJava), "--version");
    assertEquals(1, none.exitCode(), none::output);
    assertEquals("sluice: no java on the PATH and JAVA_HOME is not set: install a Java 17 or later runtime "
        + "and put its bin directory on the PATH, or set JAVA_HOME to it", none.output().strip());

    Path jre = Installation.JRE_BIN.getParent();
    Result javaHome = installation.run(work, Map.of("PATH", noJava, "JAVA_HOME", jre.toString()), "--version");
    assertEquals(0, javaHome.exitCode(), javaHome::output);
    assertEquals("sluice " + VERSION, javaHome.output().strip());

    Result notAJava = installation.run(work, Map.of("JAVA_HOME", work.toString()), "--version");
    assertEquals(1, notAJava.exitCode(), notAJava::output);
    assertEquals("sluice: JAVA_HOME is " + work + ", but " + work + "/bin/java is not an executable file: "
        + "set JAVA_HOME to a Java 17 or later installation, or unset it to use the java on the PATH",
        notAJava.output().strip());

    // What `java -version` of older runtimes says (the launcher reads nothing else of them).
    for (String said : List.of("openjdk version \"11.0.22\" 2024-01-16", "java version \"1.8.0_392\"")) {
      Path old = Files.createDirectories(work.resolve("old-java/bin"));
      Files.writeString(old.resolve("java"), "#!/bin/sh\necho '" + said + "' >&2\n");
      Files.setPosixFilePermissions(old.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
      Result refused = installation.run(work, Map.of("JAVA_HOME", old.getParent().toString()), "--version");
      String version = said.replaceAll(".*\"(.*)\".*", "$1");
      assertEquals(1, refused.exitCode(), refused::output);
      assertEquals("sluice: " + old.resolve("java") + " is Java " + version + ", Sluice needs Java 17 or "
          + "later: set JAVA_HOME to a Java 17+ installation or put one first on the PATH", refused.output().strip());
    }
  }

  @Test
  void runsOnAnotherJavaInstallationThroughJavaHome(@TempDir Path work) throws Exception {
    Optional<Path> other = anotherJavaInstallation();
    assumeTrue(other.isPresent(), "no other Java installation in /usr/lib/jvm");

    Result result = installation.run(work, Map.of("PATH", installation.noJava.toString(),
        "JAVA_HOME", other.get().toString()), "--version");

    assertEquals(0, result.exitCode(), () -> other.get() + ": " + result.output());
    assertEquals("sluice " + VERSION, result.output().strip());
  }

  @Test
  void findsItsInstallationThroughSymbolicLinks(@TempDir Path work) throws Exception {
    Path absolute = Files.createDirectories(work.resolve("links")).resolve("sluice");
    Files.createSymbolicLink(absolute, installation.home.resolve("bin/sluice"));
    Path binDir = Files.createDirectories(work.resolve("usr/local/bin"));
    Path relative = binDir.resolve("sluice");
    Files.createSymbolicLink(relative, binDir.relativize(absolute));

    // Following a link takes `ls`, from the system's directories.
    Result result = installation.run(relative, work,
        Map.of("PATH", installation.path() + ":/usr/bin:/bin"), "--version");

    assertEquals(0, result.exitCode(), result::output);
    assertEquals("sluice " + VERSION, result.output().strip());
  }

  @Test
  void runsABoundedPipelineAgainstAKafkaBrokerIntoATableThatDeltaKernelReads(LocalKafkaBroker broker,
      @TempDir Path work) throws Exception {
    int events = 5_000;
    long seed = 11;
    broker.createTopic("tarball-bounded", 3);
    SyntheticEvents.produce(broker.bootstrapServers(), "tarball-bounded", seed, 0, events);
    Files.createDirectories(work.resolve("pipelines"));
    Files.writeString(work.resolve("pipelines/bounded.yaml"), SyntheticEventsPipeline.yaml("tarball-bounded",
        broker.bootstrapServers(), "tarball-bounded", true, 2, "tables/bounded", "partition-by: [event_type]",
        "1s", Path.of("checkpoints/bounded"), ""));

    Result run = installation.run(work, Map.of(), "run", "pipelines/bounded.yaml");

    assertEquals(0, run.exitCode(), run::output);
    assertTrue(run.output().contains("sluice: pipeline 'tarball-bounded' finished: " + events + " records"),
        run::output);
    List<Object[]> rows = new DeltaTableReader(work.resolve("tables/bounded").toString()).read(List.of("event_id"));
    Set<String> expected = new HashSet<>();
    for (long i = 0; i < events; i++) {
      expected.add(SyntheticEvents.eventId(seed, i));
    }
    assertEquals(events, rows.size(), "rows: a duplicate makes more, a loss fewer");
    assertEquals(expected, distinctIds(rows));

    Result table = installation.run(work, Map.of(), "table", "tables/bounded");
    assertEquals(0, table.exitCode(), table::output);
    assertTrue(table.output().contains("rows:       " + events + "\n"), table::output);
  }

  @Test
  void runsTheDemoOnItsOwnBrokerJarsAndStopsOnSigterm(@TempDir Path work) throws Exception {
    Path table = work.resolve("data/tables/demo-events");
    Path log = work.resolve("demo.log");
    Process demo = installation.start(installation.home.resolve("bin/sluice"), work, Map.of(), log,
        "run", installation.home.resolve("configs/demo.yaml").toString());
    try {
      await("a commit of the demo's events", demo, log, Duration.ofSeconds(180),
          () -> Files.isDirectory(table.resolve("_delta_log")) && !readIds(table).isEmpty());

      // The launcher exec'd the JVM: SIGTERM goes to Java, not to a shell in between.
      assertEquals(Installation.JRE_BIN.resolve("java").toRealPath(),
          Path.of(demo.info().command().orElseThrow()).toRealPath());
      List<String> jvmArgs = commandLine(demo.toHandle());
      assertTrue(jvmArgs.contains(installation.home.resolve("lib") + "/*"), jvmArgs::toString);
      // The embedded broker runs on lib/local-kafka, not on jars of a Maven repository.
      List<ProcessHandle> children = demo.children().toList();
      List<String> brokerClassPath = new ArrayList<>();
      for (ProcessHandle child : children) {
        commandLine(child).stream().filter(arg -> arg.contains("kafka_2.13-")).forEach(brokerClassPath::add);
      }
      assertEquals(1, brokerClassPath.size(), () -> "the broker's class path among the arguments of "
          + children.stream().map(c -> c.info().toString()).toList());
      for (String entry : brokerClassPath.get(0).split(":")) {
        assertTrue(entry.startsWith(installation.home.resolve("lib") + "/"), entry);
      }

      demo.destroy();
      Result stopped = Installation.await(demo, log);
      assertEquals(SIGTERM_EXIT, stopped.exitCode(), stopped::output);
      assertTrue(stopped.output().contains("sluice: pipeline 'demo-events' stopped: "), stopped::output);
      for (ProcessHandle child : children) {
        child.onExit().get(30, TimeUnit.SECONDS);
      }
    } finally {
      demo.destroyForcibly();
    }

    List<Object[]> rows = new DeltaTableReader(table.toString()).read(List.of("event_id"));
    assertEquals(rows.size(), distinctIds(rows).size(), "no event twice");
    Result summary = installation.run(work, Map.of(), "table", "data/tables/demo-events");
    assertEquals(0, summary.exitCode(), summary::output);
    assertTrue(summary.output().contains("rows:       " + rows.size() + "\n"), summary::output);
  }

  /**
   * A process's program and arguments, from Linux's /proc (ProcessHandle.Info has none when they
   * are longer than a page, as a class path of 45 jars is); none once it has exited.
   */
  private static List<String> commandLine(ProcessHandle process) throws IOException {
    try {
      byte[] cmdline = Files.readAllBytes(Path.of("/proc", String.valueOf(process.pid()), "cmdline"));
      return List.of(new String(cmdline, StandardCharsets.UTF_8).split("\0"));
    } catch (NoSuchFileException exited) {
      return List.of();
    }
  }

  private static Set<String> readIds(Path table) {
    try {
      return distinctIds(new DeltaTableReader(table.toString()).read(List.of("event_id")));
    } catch (Exception e) {
      return Set.of(); // no table version yet
    }
  }

  private static Set<String> distinctIds(List<Object[]> rows) {
    Set<String> ids = new HashSet<>();
    rows.forEach(row -> ids.add((String) row[0]));
    return ids;
  }

  private static void await(String what, Process process, Path log, Duration timeout,
      BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(process.isAlive(), () -> "exited before " + what + ":\n" + outputOf(log));
      assertTrue(System.nanoTime() < deadline, () -> "no " + what + " within " + timeout + ":\n" + outputOf(log));
      Thread.sleep(200);
    }
  }

  private static String outputOf(Path log) {
    try {
      return Installation.output(log);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** A Java in /usr/lib/jvm other than the one running the tests (Debian's layout). */
  private static Optional<Path> anotherJavaInstallation() throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> homes = Files.list(jvms)) {
      return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")) && !isTheTestsJava(home))
          .findFirst();
    }
  }

  private static boolean isTheTestsJava(Path javaHome) {
    try {
      return Files.isSameFile(javaHome.resolve("bin/java"), Installation.JRE_BIN.resolve("java"));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isTestJar(String name) {
    return name.matches("(junit|opentest4j|apiguardian|sluice-test-utils).*|.*-tests\\.jar");
  }

  private static List<String> names(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(file -> names.add(file.getFileName().toString()));
    }
    return names;
  }
}
