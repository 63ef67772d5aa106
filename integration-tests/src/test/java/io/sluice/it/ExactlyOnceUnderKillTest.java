package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalogserver.CatalogServer;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.testing.DeltaTableReader;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.internal.SyntheticEventsPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exactly-once proof: 200,000 events are ingested while the pipeline process is killed with
 * SIGKILL at random moments and restarted; the table, read back with Delta Kernel, must hold each
 * event exactly once. Once into a filesystem table, once into a Unity Catalog table on the local
 * catalog server (commits staged, ratified by the catalog, published; read back through the
 * catalog), which must then show the {@code catalogManaged} feature and refuse a path-only load.
 */
@ExtendWith(LocalKafkaExtension.class)
class ExactlyOnceUnderKillTest {
  private static final int EVENTS = 200_000;
  private static final int EARLY_EVENTS = 40_000;
  private static final int CHUNK = 1_000;
  private static final int KILLS = 6;
  private static final long SEED = 20261125L;
  private static final String PIPELINE = "kill-test-pipeline";
  private static final String SINK_OPTIONS = "partition-by: [country]\ntarget-file-size: 1MB";

  @ParameterizedTest(name = "{0} table")
  @ValueSource(strings = {"filesystem", "unity"})
  void everyEventLandsExactlyOnceDespiteRepeatedSigkill(
      String catalog, LocalKafkaBroker broker, @TempDir Path dir) throws Exception {
    if (catalog.equals("filesystem")) {
      String table = dir.resolve("table").toString();
      killRepeatedlyThenFinish(broker, dir, "kill-test", table, SINK_OPTIONS, new DeltaTableReader(table));
      return;
    }
    try (CatalogServer server = CatalogServer.builder(dir.resolve("catalog")).createMissingNamespaces(true).start();
        LocalCatalogTable table = new LocalCatalogTable(server.uri(), "main.kill_test.events")) {
      DeltaTableReader reader = table.reader();
      killRepeatedlyThenFinish(broker, dir, "kill-test-unity", table.name,
          table.sinkCatalog() + "\n" + SINK_OPTIONS, reader);
      reader.assertCatalogManagedAndPublished();
    }
  }

  private static void killRepeatedlyThenFinish(LocalKafkaBroker broker, Path dir, String topic,
      String table, String sinkOptions, DeltaTableReader reader) throws Exception {
    broker.createTopic(topic, 4);
    // A fifth of the events exist before the first start; the rest arrive in small chunks while
    // the pipeline is being killed and restarted, so every kill lands in the middle of ingestion.
    SyntheticEvents.produce(broker.bootstrapServers(), topic, SEED, 0, EARLY_EVENTS);
    Path streaming = writeConfig(dir.resolve("streaming.yaml"), broker, topic, table, sinkOptions, dir, false);
    try (KillLoop.LateProducer producer = new KillLoop.LateProducer(EARLY_EVENTS, EVENTS, CHUNK, 600,
        from -> SyntheticEvents.produce(
            broker.bootstrapServers(), topic, SEED, from, Math.min(CHUNK, EVENTS - from)))) {
      KillLoop.killRepeatedly(dir, reader, KILLS, new Random(SEED), producer,
          "run", streaming.toString());
    }

    // A last, bounded run ingests up to the end offsets it sees at start, then exits by itself.
    Path bounded = writeConfig(dir.resolve("bounded.yaml"), broker, topic, table, sinkOptions, dir, true);
    PipelineProcess last = PipelineProcess.start(dir.resolve("final.log"), "run", bounded.toString());
    assertEquals(0, last.awaitExit(180), () -> "final run failed:\n" + KillLoop.tail(last));

    int rows = TableContents.assertEachEventOnce(reader, EVENTS, SEED);
    System.out.printf("final table version %d, %d rows%n", reader.snapshot().getVersion(), rows);
    String appId = PIPELINE + "/" + table.substring(table.lastIndexOf('/') + 1);
    Optional<Long> txn = reader.transactionVersion(appId);
    assertTrue(txn.isPresent() && txn.get() > 0, "commits carry the pipeline's txn appId " + appId + ": " + txn);
  }

  private static Path writeConfig(Path file, LocalKafkaBroker broker, String topic, String table,
      String sinkOptions, Path dir, boolean bounded) throws Exception {
    Files.writeString(file, SyntheticEventsPipeline.yaml(PIPELINE, broker.bootstrapServers(),
        topic, bounded, 2, table, sinkOptions, "700ms", dir.resolve("checkpoints"), ""));
    return file;
  }
}
