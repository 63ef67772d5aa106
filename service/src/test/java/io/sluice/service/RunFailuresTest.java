package io.sluice.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Failures of {@code sluice run} that waiting cannot heal: each ends the run at once, without
 * restart attempts, naming the field of the pipeline file to correct; those found before the job
 * starts leave no table behind.
 */
@ExtendWith(LocalKafkaExtension.class)
class RunFailuresTest {
  /** A restart would show: the run would take at least this long. */
  private static final String RESTARTS = "restart:\n  attempts: 3\n  delay: 30s\n";
  private static final long AT_ONCE_SECONDS = 20;
  private static final String SASL = "{security.protocol: SASL_PLAINTEXT, sasl.mechanism: PLAIN, "
      + "sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required "
      + "username=\"sluice\" password=\"wrong\";'}";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Each case: topic, bootstrap, source properties, exit code, the start of the error line. */
  static Stream<Arguments> refusedBeforeStart() {
    return Stream.of(
        Arguments.of("no-such-topic", "{bootstrap}", "{}", 2,
            "4:10: source.topic: topic 'no-such-topic' does not exist at {bootstrap} (topics "
                + "there: "),
        Arguments.of("refusals", "{closed}",
            "{default.api.timeout.ms: 2000, request.timeout.ms: 1000}", 1,
            "3:14: source.bootstrap: no Kafka broker answered at {closed} within 2 s"),
        Arguments.of("refusals", "{bootstrap}", SASL, 1,
            "6:15: source.properties: the Kafka brokers at {bootstrap} refused the login: "),
        Arguments.of("refusals", "{bootstrap}", "{security.protocol: NOPE}", 1,
            "6:15: source.properties: invalid Kafka client configuration: Invalid value NOPE for "
                + "configuration security.protocol"));
  }

  @ParameterizedTest(name = "{0} at {1} with {2}")
  @MethodSource("refusedBeforeStart")
  void aTopicThatCannotBeReadFailsTheRunAtOnceAndCreatesNothing(String topic, String bootstrap,
      String properties, int exitCode, String error, LocalKafkaBroker broker, @TempDir Path dir)
      throws Exception {
    broker.createTopicIfAbsent("refusals", 1);
    String closed = "127.0.0.1:" + closedPort();
    Path file = pipelineFile(dir, "refused", topic,
        bootstrap.replace("{bootstrap}", broker.bootstrapServers()).replace("{closed}", closed),
        properties);

    long started = System.nanoTime();
    assertEquals(exitCode, sluice("run", file.toString()), err::toString);

    assertTrue(err.toString().startsWith("sluice: " + file + ":" + error
            .replace("{bootstrap}", broker.bootstrapServers()).replace("{closed}", closed)),
        err::toString);
    assertAtOnce(started);
    assertFalse(Files.exists(dir.resolve("table")), "no table created");
    assertFalse(Files.exists(dir.resolve("checkpoints")), "no checkpoint taken");
  }

  /**
   * The checkpoint directory was lost: the fresh start is another lineage than the one that wrote
   * the table's commits of the pipeline. Restarting cannot change that, so the job fails at once
   * and says what to do.
   */
  @Test
  void aLostCheckpointDirectoryFailsWithoutRestarts(LocalKafkaBroker broker, @TempDir Path dir)
      throws Exception {
    broker.createTopic("table-ahead", 2);
    SyntheticEvents.produce(broker.bootstrapServers(), "table-ahead", 7, 0, 100);
    Path file = pipelineFile(dir, "table-ahead", "table-ahead", broker.bootstrapServers(), "{}");
    assertEquals(0, sluice("run", file.toString()), err::toString);
    try (Stream<Path> checkpoints = Files.walk(dir.resolve("checkpoints"))) {
      checkpoints.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    err.reset();

    long started = System.nanoTime();
    assertEquals(1, sluice("run", file.toString()), err::toString);

    String first = err.toString().lines().findFirst().orElse("");
    assertTrue(first.startsWith("sluice: pipeline 'table-ahead' failed and was not restarted (a "
        + "restart would fail the same way): "), first);
    assertTrue(first.matches(".* holds commits of table-ahead/table from lineage [0-9a-f-]{36}, but "
        + "this writer continues lineage [0-9a-f-]{36}: .* run from the checkpoint directory of "
        + "lineage [0-9a-f-]{36} \\(every run logs its lineage when it starts\\), or start over "
        + "under a new pipeline id \\(which re-reads from the configured start position\\)\\."), first);
    assertAtOnce(started);
  }

  private int sluice(String... args) {
    return Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
  }

  private static void assertAtOnce(long startedNanos) {
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
    assertTrue(seconds < AT_ONCE_SECONDS, "failed after " + seconds + " s: a restart was tried");
  }

  /** A port nothing listens on. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }

  /** A bounded pipeline, {@code properties} on line 6, table and checkpoints in {@code dir}. */
  private static Path pipelineFile(Path dir, String pipeline, String topic, String bootstrap,
      String properties) throws IOException {
    Path file = dir.resolve(pipeline + ".yaml");
    Files.writeString(file, """
        pipeline: %s
        source:
          bootstrap: %s
          topic: %s
          bounded: true
          properties: %s
        schema:
          event_id: string not null
        sink:
          table: %s
        checkpoint:
          interval: 500ms
          dir: %s
        %s""".formatted(pipeline, bootstrap, topic, properties, dir.resolve("table"),
        dir.resolve("checkpoints"), RESTARTS));
    return file;
  }
}
