package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalogserver.CatalogServer;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.testing.DeltaTableReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog down for 30 s in the middle of a streaming run (every catalog request answered
 * 503): the pipeline keeps running, says in its own log that it cannot reach the catalog and
 * retries, and commits again once the catalog answers. Then the catalog server is stopped until the
 * pipeline says it cannot reach it, and started again on the same data directory and port: it
 * keeps every commit it ratified, and the pipeline goes on. A
 * last bounded run finishes the topic, and the table holds every event exactly once.
 */
@ExtendWith(LocalKafkaExtension.class)
class CatalogOutageTest {
  private static final int EVENTS = 100_000;
  private static final int EARLY_EVENTS = 10_000;
  private static final int CHUNK = 1_000;
  private static final long SEED = 20261127L;
  private static final Duration OUTAGE = Duration.ofSeconds(30);
  private static final String TABLE = "main.outage.events";

  @Test
  void pipelineRidesOutACatalogOutageAndACatalogRestart(LocalKafkaBroker broker, @TempDir Path dir)
      throws Exception {
    String topic = "catalog-outage";
    broker.createTopic(topic, 4);
    SyntheticEvents.produce(broker.bootstrapServers(), topic, SEED, 0, EARLY_EVENTS);
    Path catalogDir = dir.resolve("catalog");
    CatalogServer server = CatalogServer.builder(catalogDir).createMissingNamespaces(true).start();
    int port = server.uri().getPort();
    try (LocalCatalogTable table = new LocalCatalogTable(server.uri(), TABLE);
        // a chunk a second until closed, so events keep arriving past the outage and the restart
        KillLoop.LateProducer producer = new KillLoop.LateProducer(EARLY_EVENTS, EVENTS, CHUNK, 1_000,
            from -> SyntheticEvents.produce(broker.bootstrapServers(), topic, SEED, from, CHUNK))) {
      DeltaTableReader reader = table.reader();
      Path log = dir.resolve("streaming.log");
      PipelineProcess pipeline = PipelineProcess.start(log, "run",
          writeConfig(dir, "streaming.yaml", broker, topic, table, false).toString());
      // Running, not starting: the outage must hit commits, not the start (which gives up).
      await("a data commit", pipeline, 90,
          () -> KillLoop.tableVersion(reader) >= 0
              && reader.transactionVersion("outage-pipeline/" + TABLE).isPresent());

      long beforeOutage = KillLoop.tableVersion(reader);
      server.faults().failRequests(503, OUTAGE);
      long outageEnds = System.nanoTime() + OUTAGE.toNanos();
      String unreachable = "WARN CommitRetryLoop - Cannot reach " + TABLE + " in Unity Catalog at http://127.0.0.1:" + port;
      await("the pipeline's log says the catalog cannot be reached", pipeline, 60,
          () -> lines(log, line -> line.contains(unreachable)) > 0);
      await("the outage is over", pipeline, 60, () -> System.nanoTime() > outageEnds);
      awaitCommitAfter(beforeOutage, reader, pipeline);
      System.out.printf("committed again after the outage: table version %d (was %d)%n",
          KillLoop.tableVersion(reader), beforeOutage);

      long ratified = KillLoop.tableVersion(reader);
      long warnings = retryWarnings(log);
      server.close();
      await("the pipeline's log says it retries against the stopped catalog", pipeline, 60,
          () -> retryWarnings(log) > warnings);
      server = CatalogServer.builder(catalogDir).port(port).createMissingNamespaces(true).start();
      long afterRestart = KillLoop.tableVersion(reader);
      assertTrue(afterRestart >= ratified, "the restarted catalog keeps its commits: version "
          + afterRestart + ", was " + ratified);
      assertTrue(producer.isAlive(), "events still arrive, so the pipeline has more to commit");
      awaitCommitAfter(afterRestart, reader, pipeline);
      System.out.printf("committed again after the catalog restart: table version %d%n",
          KillLoop.tableVersion(reader));

      producer.close();
      pipeline.kill();
      try (Stream<String> lines = Files.lines(log)) { // what the operator saw
        lines.filter(l -> l.contains("WARN CommitRetryLoop") || l.contains("WARN ResendingUCClient")
            || l.contains("restarting") || l.contains("Committed checkpoint")).forEach(System.out::println);
      }
      PipelineProcess last = PipelineProcess.start(dir.resolve("final.log"), "run",
          writeConfig(dir, "bounded.yaml", broker, topic, table, true).toString());
      assertEquals(0, last.awaitExit(180), () -> "final run failed:\n" + KillLoop.tail(last));

      TableContents.assertEachEventOnce(reader, EVENTS, SEED);
      reader.assertCatalogManagedAndPublished();
    } finally {
      server.close();
    }
  }

  /** Waits until the table's version passes {@code version}, the pipeline running all along. */
  private static void awaitCommitAfter(long version, DeltaTableReader reader, PipelineProcess pipeline)
      throws Exception {
    await("a commit after table version " + version, pipeline, 90,
        () -> KillLoop.tableVersion(reader) > version);
  }

  private static void await(String what, PipelineProcess pipeline, long seconds, BooleanSupplier condition)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      assertTrue(pipeline.isAlive(), () -> "pipeline died waiting for " + what + ":\n" + KillLoop.tail(pipeline));
      assertTrue(System.nanoTime() < deadline, () -> "no " + what + " within " + seconds + " s:\n"
          + KillLoop.tail(pipeline));
      Thread.sleep(200);
    }
  }

  /** Warnings of the commit retry loop (per attempt) and of the catalog client (per resend). */
  private static long retryWarnings(Path log) {
    return lines(log, line -> line.contains("WARN CommitRetryLoop") || line.contains("WARN ResendingUCClient"));
  }

  private static long lines(Path log, Predicate<String> matching) {
    try (Stream<String> lines = Files.lines(log)) {
      return lines.filter(matching).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A pipeline file with the default restart policy, as a user gets it. */
  private static Path writeConfig(Path dir, String name, LocalKafkaBroker broker, String topic,
      LocalCatalogTable table, boolean bounded) throws Exception {
    String yaml = SyntheticEventsPipeline.yaml("outage-pipeline", broker.bootstrapServers(), topic,
        bounded, 2, table.name, table.sinkCatalog(), "1s", dir.resolve("checkpoints"), "");
    String withDefaultRestarts = yaml.replace("restart:\n  attempts: 0\n", "");
    assertTrue(!withDefaultRestarts.contains("restart:"), withDefaultRestarts);
    Path file = dir.resolve(name);
    Files.writeString(file, withDefaultRestarts);
    return file;
  }
}
