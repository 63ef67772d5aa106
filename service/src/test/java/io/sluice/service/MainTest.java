package io.sluice.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalogserver.CatalogServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
