package io.sluice.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  }

  @Test
  void helpListsTheRunOptions() {
    assertEquals(0, sluice("run", "--help"));
    assertTrue(out.toString().contains("--savepoint-on-stop=DIR"), out::toString);
    assertTrue(out.toString().contains("--from-savepoint=DIR"), out::toString);
  }
}
