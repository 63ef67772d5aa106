package io.sluice.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StructType;
import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitClients;
import io.sluice.catalog.TableDefinition;
import io.sluice.catalog.UnityCatalogConfig;
import io.sluice.catalogserver.CatalogServer;
import io.sluice.delta.DeltaCommittable;
import io.sluice.delta.DeltaSink;
import io.sluice.delta.DeltaSinkConfig;
import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import io.sluice.engine.sink.GlobalCommitter;
import io.sluice.engine.sink.SinkContext;
import io.sluice.engine.sink.SinkWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int sluice(String... args) {
    return Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
  }

  @Test
  void validatesTheDemoPipeline() {
    assertEquals(0, sluice("validate", "../configs/demo.yaml"), err::toString);
    assertTrue(out.toString().contains("valid pipeline 'demo-events'"), out::toString);
    assertTrue(out.toString().contains("event_id string not null, user_id long"), out::toString);
    assertTrue(out.toString().contains("txn appId demo-events/demo-events"), out::toString);
    assertTrue(out.toString().contains(
        "  compaction: tiers of 10 files smaller than 64MB, at most 1GB per commit\n"), out::toString);
  }

  @Test
  void validatesTheStatefulDemo() {
    assertEquals(0, sluice("validate", "../configs/demo-dedupe.yaml"), err::toString);
    assertTrue(out.toString().contains("dedupe: by [event_id] within PT1H"), out::toString);
    assertTrue(out.toString().contains("state:  rocksdb in data/state with 256 MiB of memory, 128 key groups"), out::toString);
  }

  @Test
  void validatesTheUnityCatalogDemo() {
    assertEquals(0, sluice("validate", "../configs/demo-unity.yaml"), err::toString);
    assertTrue(out.toString().contains("txn appId demo-unity/main.demo.events"), out::toString);
    assertTrue(out.toString().contains(
        "  table:  embedded Unity Catalog server in data/catalog (no token), created if absent\n"), out::toString);
  }

  @Test
  void invalidFileExitsWithTwoAndNamesFileLineAndField(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, """
        pipeline: p
        source:
          bootstrap: b
          topic: t
          parallelism: 0
        schema:
          id: string
        sink:
          table: t
        checkpoint:
          dir: c
        """);
    assertEquals(2, sluice("run", file.toString()));
    assertEquals("sluice: " + file + ":5:16: source.parallelism: must be at least 1\n", err.toString());
  }

  @Test
  void usageErrorsExitWithTwoAndShowTheUsage() {
    assertEquals(2, sluice("run"));
    assertTrue(err.toString().startsWith("Missing required parameter: 'FILE'"), err::toString);
    assertTrue(err.toString().contains("Usage: sluice run [-hV] [--allow-non-restored-state]"), err::toString);
    err.reset();
    assertEquals(2, sluice("launch", "../configs/demo.yaml"));
    assertTrue(err.toString().startsWith("Unmatched arguments from index 0: 'launch'"), err::toString);
    err.reset();
    assertEquals(2, sluice());
    assertTrue(err.toString().startsWith("Usage: sluice [-hV] [COMMAND]"), err::toString);
    err.reset();
    assertEquals(2, sluice("run", "--from-savepoint"));
    assertTrue(err.toString().startsWith("Missing required parameter for option '--from-savepoint'"), err::toString);
    err.reset();
    assertEquals(2, sluice("run", "--progress-interval", "0s", "../configs/demo.yaml"));
    assertTrue(err.toString().startsWith("Invalid value for option '--progress-interval': must be longer than zero"), err::toString);
  }

  @Test
  void helpListsTheRunOptions() {
    assertEquals(0, sluice("run", "--help"));
    assertTrue(out.toString().contains("--savepoint-on-stop=DIR"), out::toString);
    assertTrue(out.toString().contains("--from-savepoint=DIR"), out::toString);
  }

  @Test
  void validateShowsTheCatalogButNeverItsToken(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("uc.yaml");
    Files.writeString(file, """
        pipeline: clicks
        source: {bootstrap: b, topic: t}
        schema: {id: string}
        sink:
          catalog: {type: unity, uri: "https://uc.example.com", token: "${SLUICE_TEST_TOKEN:-s3cret}"}
          table: main.events.clicks
          create: false
        checkpoint: {dir: c}
        """);
    assertEquals(0, sluice("validate", file.toString()), err::toString);
    assertTrue(out.toString().contains("txn appId clicks/main.events.clicks"), out::toString);
    assertTrue(out.toString().contains(
        "  table:  Unity Catalog at https://uc.example.com (bearer token set), must exist (create: false)\n"),
        out::toString);
    assertFalse(out.toString().contains("s3cret"), out::toString);
  }

  @Test
  void validateShowsWhereDeadLettersGo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("dl.yaml");
    Files.writeString(file, """
        pipeline: clicks
        source: {bootstrap: b, topic: t, on-error: dead-letter}
        schema: {id: string}
        sink:
          catalog: {type: unity, uri: "https://uc.example.com"}
          table: main.events.clicks
        checkpoint: {dir: c}
        """);
    assertEquals(0, sluice("validate", file.toString()), err::toString);
    assertTrue(out.toString().contains(", on missing offset: fail, on error: dead-letter\n"), out::toString);
    assertTrue(out.toString().contains("  dead letters: main.events.clicks_dead_letters, created if "
        + "absent, txn appId clicks/dead-letters\n"), out::toString);
  }

  @Test
  void tableByNameReadsThroughACatalog(@TempDir Path dir) throws Exception {
    assertEquals(2, sluice("table", "main.a.b", "--catalog-dir", dir.toString()));
    assertEquals("sluice: --catalog-dir goes with --catalog embedded\n", err.toString());
    err.reset();
    assertEquals(2, sluice("table", "main.a.b", "--catalog", "http://uc.example.com"));
    assertTrue(err.toString().startsWith("sluice: --catalog: expected `embedded` or the catalog's https base URI"), err::toString);
    err.reset();
    Path none = dir.resolve("none");
    assertEquals(1, sluice("table", "main.a.b", "--catalog", "embedded", "--catalog-dir", none.toString()));
    assertTrue(err.toString().startsWith("sluice: " + none + " holds no embedded catalog"), err::toString);
    assertFalse(Files.exists(none), "reading creates nothing");
    err.reset();
    Path catalog = dir.resolve("catalog");
    try (CatalogServer running = CatalogServer.builder(catalog).start()) { // an empty catalog
      assertEquals(1, sluice("table", "main.a.b", "--catalog", "embedded", "--catalog-dir", catalog.toString()));
      assertEquals("sluice: the catalog data directory " + catalog + " is in use by another catalog server"
          + " (lock " + catalog.resolve("server.lock") + "); while a pipeline runs it, read through that"
          + " server: --catalog with the URI the run printed\n", err.toString());
    }
    err.reset();
    assertEquals(1, sluice("table", "main.a.b", "--catalog", "embedded", "--catalog-dir", catalog.toString()));
    assertTrue(err.toString().matches("sluice: Delta table main\\.a\\.b does not exist in Unity Catalog at http://127\\.0\\.0\\.1:\\d+\n"),
        err::toString);
    err.reset();
    assertEquals(1, sluice("table", none.toString()));
    assertEquals("sluice: Delta table " + none + " does not exist in the file system\n", err.toString());
  }

  /** A table of kinds a, b and c, each in 3 small files (commits 1..3). */
  private static String tableOfSmallFiles(Path dir) throws Exception {
    Path table = dir.resolve("t");
    Schema schema = new Schema(List.of(
        new Field("id", FieldType.LONG, false), new Field("kind", FieldType.STRING, true)));
    DeltaSink sink = new DeltaSink(DeltaSinkConfig.builder(table.toString(), schema, "pipe/t")
        .partitionColumns("kind").build());
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(new io.sluice.engine.sink.CommitterContext("pipe", "lineage-1"))) {
      for (long cp = 1; cp <= 3; cp++) {
        try (SinkWriter<Row, DeltaCommittable> writer =
            sink.createWriter(new SinkContext("pipe", 0, 1, cp - 1))) {
          for (String kind : List.of("a", "b", "c")) {
            writer.write(new Row(cp * 10 + kind.charAt(0), kind));
          }
          committer.commit(cp, writer.prepareCommit(cp));
        }
      }
    }
    return table.toString();
  }

  @Test
  void compactRewritesSmallFilesAndNamesWhatItCannotDo(@TempDir Path dir) throws Exception {
    String table = tableOfSmallFiles(dir);
    assertEquals(0, sluice("compact", table, "--where", "kind=a"), err::toString);
    assertTrue(out.toString().matches("sluice: compacted " + table + ": 3 small files \\(0\\.0 MiB\\)"
        + " into 1 \\(0\\.0 MiB\\), 3 rows; table version 4\n"), out::toString);
    out.reset();
    assertEquals(0, sluice("compact", table), err::toString);
    assertTrue(out.toString().contains(": 6 small files "), out::toString);
    out.reset();
    assertEquals(0, sluice("compact", table, "--target-file-size", "1MB"), err::toString);
    assertEquals("sluice: nothing to compact in " + table + ": no partition has two or more files"
        + " smaller than 512KB\n", out.toString());

    assertEquals(1, sluice("compact", table, "--where", "color=red"));
    assertEquals("sluice: cannot compact " + table + " in the file system: 'color' is not a partition"
        + " column; its partition columns are [kind]\n", err.toString());
    err.reset();
    assertEquals(2, sluice("compact", table, "--target-file-size", "lots"));
    assertTrue(err.toString().startsWith("Invalid value for option '--target-file-size': expected a size"),
        err::toString);
  }

  @Test
  void vacuumRefusesShortRetentionsAndReportsWhatItDeletes(@TempDir Path dir) throws Exception {
    String table = tableOfSmallFiles(dir);
    assertEquals(0, sluice("compact", table), err::toString);
    out.reset();
    assertEquals(2, sluice("vacuum", table, "--retain", "1d"));
    assertTrue(err.toString().startsWith("sluice: refusing to vacuum " + table + " in the file system"
        + " with a retention of 1d, shorter than its delta.deletedFileRetentionDuration of 7d"), err::toString);
    assertTrue(err.toString().endsWith("--force (force = true) accepts that\n"), err::toString);
    err.reset();
    assertEquals(2, sluice("vacuum", table, "--retain", "30m", "--force"));
    assertTrue(err.toString().contains("with a retention of 30m: files written within the last 1h"), err::toString);
    err.reset();
    // Everything is younger than any retention: the 9 files compaction removed stay.
    assertEquals(0, sluice("vacuum", table, "--retain", "1d", "--force", "--dry-run"), err::toString);
    assertTrue(out.toString().matches("sluice: dry run of vacuum of " + table + ": 0 files \\(0\\.0 MiB\\)"
        + " no version since \\S+ references would be deleted\n"), out::toString);
    out.reset();
    assertEquals(0, sluice("vacuum", table), err::toString);
    assertTrue(out.toString().startsWith("sluice: vacuumed " + table + ": 0 files"), out::toString);
  }

  @Test
  void maintenanceOfACatalogManagedTableIsRefusedNamingIt(@TempDir Path dir) throws Exception {
    Path catalog = dir.resolve("catalog");
    try (CatalogServer server = CatalogServer.builder(catalog).createMissingNamespaces(true).start();
        TableCommitClient client = TableCommitClients.unityCatalog(
            new UnityCatalogConfig(server.uri(), ""), "main.s.t", CommitClientConfig.defaults())) {
      client.openOrCreate(TableDefinition.of(
          new StructType().add("id", LongType.LONG, false), List.of()));
    }
    for (String command : List.of("compact", "vacuum")) {
      err.reset();
      assertEquals(1, sluice(command, "main.s.t", "--catalog", "embedded", "--catalog-dir", catalog.toString()));
      assertTrue(err.toString().matches("sluice: cannot " + command + " main\\.s\\.t in Unity Catalog at"
          + " http://127\\.0\\.0\\.1:\\d+: it is a catalog-managed table, .*\n"), err::toString);
    }
  }
}
