package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalog.TableCommitException;
import io.sluice.catalogserver.CatalogServer;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.internal.PipelineRun;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.testing.DeltaTableReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sink.catalog.uri: embedded}: {@code sluice run} starts the local Unity Catalog-compatible
 * server on {@code sink.catalog.dir}, creates the table through it (catalog and schema included),
 * logs each commit's latency and ends with their p50/p99; {@code sluice table NAME --catalog
 * embedded} reads the table through that state afterwards; with {@code create: false} a table the
 * catalog does not know fails the run, naming it, before anything is read.
 */
@ExtendWith(LocalKafkaExtension.class)
class EmbeddedCatalogPipelineTest {
  private static final long SEED = 11;
  private static final int EVENTS = 20_000;
  private static final String TABLE = "main.demo.events";
  private static final Pattern COMMIT_LOG = Pattern.compile(
      "Committed checkpoint (\\d+) of uc-pipeline/main\\.demo\\.events to main\\.demo\\.events as version \\d+ "
          + "\\(.*; total \\d+ ms \\(staging \\d+ ms, catalog \\d+ ms, publishing \\d+ ms\\)\\)");

  @Test
  void embeddedCatalogRunWritesThroughTheCatalogAndIsReadByName(LocalKafkaBroker broker, @TempDir Path dir)
      throws Exception {
    broker.createTopic("embedded-uc", 4);
    SyntheticEvents.produce(broker.bootstrapServers(), "embedded-uc", SEED, 0, EVENTS);
    Path catalogDir = dir.resolve("catalog");

    Path runLog = dir.resolve("run.log");
    PipelineProcess run = PipelineProcess.start(runLog, "run",
        pipelineFile(dir, broker, "uc-pipeline", TABLE, "create: true").toString());
    assertEquals(0, run.awaitExit(120), () -> "run failed:\n" + KillLoop.tail(run));
    String log = Files.readString(runLog);
    assertTrue(log.contains("sluice: embedded Unity Catalog server at http://127.0.0.1:"), log);
    assertTrue(log.contains("finished: " + EVENTS + " records in "), log);
    long commitsLogged = COMMIT_LOG.matcher(log).results().count();
    Matcher summary = PipelineRun.COMMITS_LINE.matcher(log);
    assertTrue(summary.find(), log);
    assertTrue(commitsLogged > 0, "each commit is logged with its latency per phase:\n" + log);
    assertEquals(commitsLogged, Long.parseLong(summary.group(1)), "the summary counts the commits logged");
    assertEquals(TABLE, summary.group(2));

    Path tableLog = dir.resolve("table.log");
    PipelineProcess table = PipelineProcess.start(tableLog, "table", TABLE,
        "--catalog", "embedded", "--catalog-dir", catalogDir.toString());
    assertEquals(0, table.awaitExit(60), () -> "sluice table failed:\n" + KillLoop.tail(table));
    String shown = Files.readString(tableLog);
    assertTrue(shown.contains("table:      " + TABLE + " in Unity Catalog at http://127.0.0.1:"), shown);
    assertTrue(shown.contains("location:   file:" + catalogDir + "/tables/"), shown);
    assertTrue(shown.contains("rows:       " + EVENTS + "\n"), shown);

    try (CatalogServer server = CatalogServer.builder(catalogDir).start();
        LocalCatalogTable written = new LocalCatalogTable(server.uri(), TABLE)) {
      DeltaTableReader reader = written.reader();
      TableContents.assertEachEventOnce(reader, EVENTS, SEED);
      reader.assertCatalogManagedAndPublished();
      // The last checkpoint that committed: one without data files (the end of input may come
      // right after a checkpoint took the last records) commits nothing.
      long lastCommitted = COMMIT_LOG.matcher(log).results()
          .mapToLong(committed -> Long.parseLong(committed.group(1))).max().orElseThrow();
      assertEquals(Optional.of(lastCommitted), reader.transactionVersion("uc-pipeline/" + TABLE),
          "the txn appId is <pipeline>/<catalog.schema.table>");
    }

    Path missingLog = dir.resolve("missing.log");
    PipelineProcess missing = PipelineProcess.start(missingLog, "run",
        pipelineFile(dir, broker, "uc-missing", "main.demo.missing", "create: false").toString());
    assertEquals(1, missing.awaitExit(120), () -> "run did not fail:\n" + KillLoop.tail(missing));
    String failure = Files.readString(missingLog);
    assertTrue(failure.matches("(?s).*Delta table main\\.demo\\.missing in Unity Catalog at http://127\\.0\\.0\\.1:\\d+ "
        + "does not exist, and the sink does not create tables \\(create: false\\).*"), failure);
    try (Stream<Path> checkpoints = Files.list(dir.resolve("checkpoints-uc-missing"))) {
      assertEquals(List.of(), checkpoints.filter(p -> p.getFileName().toString().startsWith("chk-")).toList(),
          "no checkpoint: the run failed before its tasks read anything");
    }
    try (CatalogServer server = CatalogServer.builder(catalogDir).start();
        LocalCatalogTable absent = new LocalCatalogTable(server.uri(), "main.demo.missing")) {
      assertThrows(TableCommitException.class, () -> absent.reader().snapshot(), "nothing was created");
    }
  }

  private static Path pipelineFile(Path dir, LocalKafkaBroker broker, String pipeline, String table,
      String create) throws Exception {
    Path file = dir.resolve(pipeline + ".yaml");
    String sink = "catalog:\n  type: unity\n  uri: embedded\n  dir: " + dir.resolve("catalog") + "\n" + create;
    Files.writeString(file, SyntheticEventsPipeline.yaml(pipeline, broker.bootstrapServers(),
        "embedded-uc", true, 2, table, sink, "500ms", dir.resolve("checkpoints-" + pipeline), ""));
    return file;
  }
}
