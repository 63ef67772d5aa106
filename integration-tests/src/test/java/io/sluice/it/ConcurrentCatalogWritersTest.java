package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.catalogserver.CatalogServer;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.testing.DeltaTableReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two pipelines (different ids, each its own topic) appending to the same Unity Catalog table at
 * the same time, committing every 200 ms: the catalog orders their commits (a version taken by one
 * is a conflict the other rebases over). Both finish, and the table holds each event of both topics
 * exactly once.
 */
@ExtendWith(LocalKafkaExtension.class)
class ConcurrentCatalogWritersTest {
  private static final int EVENTS_EACH = 150_000;
  private static final long SEED_A = 101;
  private static final long SEED_B = 202;
  private static final String TABLE = "main.shared.events";

  @Test
  void twoPipelinesAppendToOneCatalogTableConcurrently(LocalKafkaBroker broker, @TempDir Path dir)
      throws Exception {
    broker.createTopic("writers-a", 2);
    broker.createTopic("writers-b", 2);
    SyntheticEvents.produce(broker.bootstrapServers(), "writers-a", SEED_A, 0, EVENTS_EACH);
    SyntheticEvents.produce(broker.bootstrapServers(), "writers-b", SEED_B, 0, EVENTS_EACH);
    try (CatalogServer server = CatalogServer.builder(dir.resolve("catalog")).createMissingNamespaces(true).start();
        LocalCatalogTable table = new LocalCatalogTable(server.uri(), TABLE)) {
      PipelineProcess a = start(dir, broker, table, "writer-a", "writers-a");
      PipelineProcess b = start(dir, broker, table, "writer-b", "writers-b");
      assertEquals(0, a.awaitExit(180), () -> "writer-a failed:\n" + KillLoop.tail(a));
      assertEquals(0, b.awaitExit(180), () -> "writer-b failed:\n" + KillLoop.tail(b));
      System.out.printf("%d commit requests answered 409 (a version the other writer took)%n",
          server.commitRequests().stream().filter(c -> c.status() == 409).count());

      DeltaTableReader reader = table.reader();
      TableContents.assertEachEventOnce(reader, EVENTS_EACH, SEED_A, SEED_B);
      reader.assertCatalogManagedAndPublished();

      List<String> writers = committers(reader);
      System.out.println("writers of versions 1..: " + writers);
      long switches = 0;
      for (int v = 1; v < writers.size(); v++) {
        switches += writers.get(v).equals(writers.get(v - 1)) ? 0 : 1;
      }
      assertTrue(switches >= 2, "the two pipelines' commits interleave: " + writers);
    }
  }

  private static PipelineProcess start(Path dir, LocalKafkaBroker broker, LocalCatalogTable table,
      String pipeline, String topic) throws Exception {
    Path file = dir.resolve(pipeline + ".yaml");
    Files.writeString(file, SyntheticEventsPipeline.yaml(pipeline, broker.bootstrapServers(), topic,
        true, 1, table.name, table.sinkCatalog(), "200ms", dir.resolve("checkpoints-" + pipeline), ""));
    return PipelineProcess.start(dir.resolve(pipeline + ".log"), "run", file.toString());
  }

  /** The pipeline (txn appId) of each published data version, in version order. */
  private static List<String> committers(DeltaTableReader reader) throws Exception {
    Path log = Path.of(new org.apache.hadoop.fs.Path(reader.snapshot().getPath()).toUri()).resolve("_delta_log");
    ObjectMapper json = new ObjectMapper();
    List<String> writers = new ArrayList<>();
    for (long version = 1; version <= reader.snapshot().getVersion(); version++) {
      for (String line : Files.readAllLines(log.resolve(String.format("%020d.json", version)))) {
        JsonNode txn = json.readTree(line).get("txn");
        if (txn != null) {
          writers.add(txn.get("appId").asText().substring(0, "writer-a".length()));
        }
      }
    }
    return writers;
  }
}
