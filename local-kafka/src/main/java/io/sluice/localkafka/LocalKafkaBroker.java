package io.sluice.localkafka;

import io.sluice.localkafka.internal.BrokerChildMain;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in a child JVM,
 * for tests, the demo and benchmarks.
 *
 * <p>The child JVM runs the {@code kafka_2.13} jars, whose classpath was resolved by Maven when
 * this module was built (resource {@code io/sluice/localkafka/broker-classpath.txt}; the system
 * property {@value #CLASSPATH_PROPERTY} or the environment variable {@value #CLASSPATH_ENV}
 * overrides it). None of the broker's libraries (Scala, its Jackson) touch the caller's classpath.
 * The child exits when its stdin closes, so a killed parent leaves no broker behind. Its output
 * goes to {@code broker.log} in the data directory.
 *
 * <p>Starting again on a data directory that holds a previous broker's data keeps the topics and
 * records (the port may differ).
 */
public final class LocalKafkaBroker implements AutoCloseable {
  public static final String CLASSPATH_PROPERTY = "sluice.localkafka.classpath";
  public static final String CLASSPATH_ENV = "SLUICE_LOCALKAFKA_CLASSPATH";
  /** Extra JVM options for the child, whitespace separated (e.g. {@code -Xmx1g}). */
  public static final String JVM_OPTIONS_PROPERTY = "sluice.localkafka.jvmOptions";

  private static final String CLASSPATH_RESOURCE = "broker-classpath.txt";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int START_ATTEMPTS = 3;
  private static final int ANY_COUNT = -1;

  private final Path dataDir;
  private final Path logFile;
  private final Process process;
  private final String bootstrapServers;
  private final Admin admin;
  private boolean closed;

  private LocalKafkaBroker(Path dataDir, Path logFile, Process process, String bootstrapServers,
      Admin admin) {
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.process = process;
    this.bootstrapServers = bootstrapServers;
    this.admin = admin;
  }

  /** Starts a broker on a free port with its data in {@code dataDir}; returns once it serves. */
  public static LocalKafkaBroker start(Path dataDir) {
    return start(dataDir, Map.of());
  }

  /**
   * Starts a broker on a free port with its data in {@code dataDir} and extra broker properties
   * (for example {@code log.retention.check.interval.ms}); returns once it serves requests.
   */
  public static LocalKafkaBroker start(Path dataDir, Map<String, String> brokerOverrides) {
    return start(dataDir, 0, brokerOverrides);
  }

  /**
   * Starts a broker whose clients connect to {@code port} (0: a free port), for instance one
   * stopped with {@link #close()} again on its data directory and {@link #port()}, where its
   * clients still look for it; returns once it serves requests.
   */
  public static LocalKafkaBroker start(Path dataDir, int port,
      Map<String, String> brokerOverrides) {
    try {
      Files.createDirectories(dataDir);
      List<String> classpath = brokerClasspath();
      IllegalStateException last = null;
      for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
        try {
          return startOnce(dataDir.toAbsolutePath(), classpath, brokerOverrides,
              port == 0 ? freePort() : port);
        } catch (PortTakenException e) {
          if (port != 0) {
            throw e;
          }
          last = e; // another process took a port between choosing and binding it: retry
        }
      }
      throw last;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the local Kafka broker in " + dataDir, e);
    }
  }

  private static LocalKafkaBroker startOnce(Path dataDir, List<String> classpath,
      Map<String, String> overrides, int port) throws IOException {
    long startNanos = System.nanoTime();
    int controllerPort = freePort();
    while (controllerPort == port) {
      controllerPort = freePort();
    }
    String bootstrap = "127.0.0.1:" + port;
    Path properties = dataDir.resolve("server.properties");
    writeProperties(properties, serverProperties(dataDir, port, controllerPort, overrides));
    Path logFile = dataDir.resolve("broker.log");
    if (Files.exists(logFile) && Files.size(logFile) > 0) {
      Files.move(logFile, dataDir.resolve("broker.log.previous"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(logFile, "", StandardCharsets.UTF_8);

    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms128m");
    command.add("-Xmx512m");
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-Djava.awt.headless=true");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    command.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    command.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.config.AbstractConfig=warn");
    command.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.utils.internals."
        + "AppInfoParser=warn");
    String extra = System.getProperty(JVM_OPTIONS_PROPERTY, "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.add("-cp");
    List<String> childClasspath = new ArrayList<>(classpath);
    childClasspath.add(ownCodeLocation()); // last: Kafka's own jars win any overlap
    command.add(String.join(java.io.File.pathSeparator, childClasspath));
    command.add(BrokerChildMain.class.getName());
    command.add(properties.toString());
    command.add(clusterId(dataDir));

    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dataDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    Process process = builder.start();
    Admin admin = null;
    try {
      awaitPort(process, port, logFile, startNanos);
      // Only now: an admin client connecting to a port not yet open warns on every attempt.
      admin = Admin.create(adminProperties(bootstrap));
      awaitDescribeCluster(process, admin, logFile, startNanos);
      return new LocalKafkaBroker(dataDir, logFile, process, bootstrap, admin);
    } catch (RuntimeException | IOException e) {
      if (admin != null) {
        admin.close(Duration.ZERO);
      }
      destroy(process);
      throw e;
    }
  }

  /** {@code host:port} of the broker's PLAINTEXT listener. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The port of {@link #bootstrapServers()}. */
  public int port() {
    return Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The child JVM's output: the broker's log. */
  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Creates a topic (replication factor 1) and waits until every partition has a leader. */
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  /** Creates a topic with topic configs (e.g. {@code retention.ms}) and waits for its leaders. */
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs);
    try {
      admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        throw new IllegalStateException("topic '" + name + "' already exists", e.getCause());
      }
      throw new IllegalStateException("could not create topic '" + name + "': " + e.getCause(), e);
    } catch (Exception e) {
      throw new IllegalStateException("could not create topic '" + name + "'", e);
    }
    awaitLeaders(name, partitions);
  }

  /**
   * Creates the topic unless it exists (whatever its partition count); returns whether it did,
   * once every partition's leader serves (after a restart, an existing topic's too).
   */
  public boolean createTopicIfAbsent(String name, int partitions) {
    try {
      if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(name)) {
        awaitLeaders(name, ANY_COUNT);
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted listing topics", e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("could not list topics", e);
    }
    try {
      createTopic(name, partitions);
      return true;
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false; // created concurrently
      }
      throw e;
    }
  }

  /** Deletes a topic and waits until the broker no longer knows it. */
  public void deleteTopic(String name) {
    try {
      admin.deleteTopics(List.of(name)).all().get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(name)) {
          return;
        }
        Thread.sleep(20);
      }
      throw new IllegalStateException("topic '" + name + "' still listed 30 s after deletion");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted deleting topic '" + name + "'", e);
    } catch (Exception e) {
      throw new IllegalStateException("could not delete topic '" + name + "'", e);
    }
  }

  /** {@code partitions}: the count to wait for, or {@link #ANY_COUNT}. */
  private void awaitLeaders(String name, int partitions) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Exception lastError = null;
    while (System.nanoTime() < deadline) {
      try {
        TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames()
            .get(10, TimeUnit.SECONDS).get(name);
        List<TopicPartitionInfo> infos = description.partitions();
        if ((partitions == ANY_COUNT || infos.size() == partitions)
            && infos.stream().allMatch(p -> p.leader() != null
            && !p.leader().isEmpty())) {
          // The metadata may name a leader before its replica serves: wait until it answers.
          Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
          for (TopicPartitionInfo info : infos) {
            latest.put(new TopicPartition(name, info.partition()), OffsetSpec.latest());
          }
          admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          lastError = e;
        }
      } catch (Exception e) {
        lastError = e;
      }
      sleep(20);
    }
    throw new IllegalStateException("partitions of topic '" + name + "' got no leader in 30 s",
        lastError);
  }

  /** Stops the child JVM (a clean broker shutdown) and waits for it to exit. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    admin.close(Duration.ofSeconds(5));
    stopChild();
  }

  private void stopChild() {
    if (!process.isAlive()) {
      return;
    }
    try {
      process.getOutputStream().close(); // end of file on the child's stdin: it exits cleanly
    } catch (IOException e) {
      // already closed
    }
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        destroy(process);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      destroy(process);
    }
  }

  private static void destroy(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return "LocalKafkaBroker[" + bootstrapServers + ", " + dataDir + "]";
  }

  // ---------------------------------------------------------------------------------- startup

  private static Map<String, String> serverProperties(Path dataDir, int port, int controllerPort,
      Map<String, String> overrides) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", dataDir.resolve("kafka-logs").toString());
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.cleaner.dedupe.buffer.size", "16777216");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("num.recovery.threads.per.data.dir", "1");
    p.put("auto.create.topics.enable", "true");
    p.put("delete.topic.enable", "true");
    p.putAll(overrides);
    return p;
  }

  private static void writeProperties(Path file, Map<String, String> values) throws IOException {
    Properties properties = new Properties();
    properties.putAll(values);
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      properties.store(writer, "written by io.sluice.localkafka.LocalKafkaBroker");
    }
  }

  private static Properties adminProperties(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-local-kafka-admin");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "20");
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
    p.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "20");
    p.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "200");
    return p;
  }

  /** The cluster id stays with the data directory so that a restart reuses the formatted logs. */
  private static String clusterId(Path dataDir) throws IOException {
    Path file = dataDir.resolve("cluster-id");
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }
    SecureRandom random = new SecureRandom();
    String id;
    do {
      byte[] bytes = new byte[16];
      random.nextBytes(bytes);
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    } while (id.startsWith("-")); // Kafka's own rule: ids must not look like command-line flags
    Files.writeString(file, id, StandardCharsets.US_ASCII);
    return id;
  }

  private static void awaitPort(Process process, int port, Path logFile, long startNanos)
      throws IOException {
    long deadline = startNanos + READY_TIMEOUT.toNanos();
    while (true) {
      checkAlive(process, logFile);
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw notReady(process, logFile, "its port " + port + " did not open");
      }
      sleep(25);
    }
  }

  private static void awaitDescribeCluster(Process process, Admin admin, Path logFile,
      long startNanos) {
    long deadline = startNanos + READY_TIMEOUT.toNanos();
    Exception lastError = null;
    while (System.nanoTime() < deadline) {
      checkAlive(process, logFile);
      try {
        Collection<?> nodes = admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
        if (!nodes.isEmpty()) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the broker", e);
      } catch (Exception e) {
        lastError = e;
      }
      sleep(25);
    }
    IllegalStateException error = notReady(process, logFile, "describeCluster did not succeed");
    if (lastError != null) {
      error.addSuppressed(lastError);
    }
    throw error;
  }

  private static void checkAlive(Process process, Path logFile) {
    if (process.isAlive()) {
      return;
    }
    String tail = logTail(logFile);
    String message = "the Kafka broker's JVM exited with code " + process.exitValue()
        + " during startup; log " + logFile + ":\n" + tail;
    if (tail.contains("Address already in use") || tail.contains("BindException")) {
      throw new PortTakenException(message);
    }
    throw new IllegalStateException(message);
  }

  private static IllegalStateException notReady(Process process, Path logFile, String why) {
    destroy(process);
    return new IllegalStateException("the Kafka broker was not ready within "
        + READY_TIMEOUT.toSeconds() + " s: " + why + "; log " + logFile + ":\n" + logTail(logFile));
  }

  /** The last lines of a log file, for error messages. */
  static String logTail(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }

  /** The broker's jars: a configured classpath, or the one Maven resolved when building us. */
  static List<String> brokerClasspath() throws IOException {
    String configured = System.getProperty(CLASSPATH_PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(CLASSPATH_ENV);
    }
    String source;
    if (configured != null && !configured.isBlank()) {
      source = "-D" + CLASSPATH_PROPERTY + " / $" + CLASSPATH_ENV;
    } else {
      try (InputStream in = LocalKafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("resource io/sluice/localkafka/" + CLASSPATH_RESOURCE
              + " is missing: build sluice-local-kafka with Maven (it writes the broker's classpath)"
              + " or set -D" + CLASSPATH_PROPERTY);
        }
        configured = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      source = "resource io/sluice/localkafka/" + CLASSPATH_RESOURCE;
    }
    List<String> entries = new ArrayList<>();
    for (String entry : configured.trim().split("[" + java.io.File.pathSeparator + "\\r\\n]+")) {
      if (entry.isBlank()) {
        continue;
      }
      if (!Files.exists(Paths.get(entry))) {
        throw new IllegalStateException("the Kafka broker's jar " + entry + " (from " + source
            + ") does not exist: run `mvn -pl local-kafka install` to fetch it, or set -D"
            + CLASSPATH_PROPERTY);
      }
      entries.add(entry);
    }
    if (entries.stream().noneMatch(e -> e.contains("kafka_2.13"))) {
      throw new IllegalStateException("the broker classpath from " + source
          + " has no kafka_2.13 jar");
    }
    return entries;
  }

  private static String ownCodeLocation() {
    try {
      return Paths.get(BrokerChildMain.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI()).toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("cannot locate the sluice-local-kafka classes", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static final class PortTakenException extends IllegalStateException {
    PortTakenException(String message) {
      super(message);
    }
  }
}
