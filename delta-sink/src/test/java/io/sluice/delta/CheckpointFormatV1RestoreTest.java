package io.sluice.delta;

import io.sluice.testing.DeltaTableReader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.JobConfig;
import io.sluice.engine.StreamEnvironment;
import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import io.sluice.testing.SplitSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline upgraded from the release before operator ids: its format 1 checkpoint named the
 * sink after the table's absolute path, at another location than the table has now. The sink
 * restores under a path-independent id, the restored checkpoint is found already committed, and
 * the job finishes with every row exactly once.
 */
@Timeout(120)
class CheckpointFormatV1RestoreTest {
  private static final Path FIXTURE = Path.of("src/test/resources/fixtures/checkpoint-v1");
  private static final Schema SCHEMA =
      new Schema(
          List.of(new Field("id", FieldType.LONG, false), new Field("part", FieldType.STRING, true)));

  @Test
  void aFormat1CheckpointOfADeltaPipelineResumesIntoTheSameTable(@TempDir Path dir)
      throws Exception {
    copy(FIXTURE, dir);
    Path table = dir.resolve("table");
    assertEquals(5, new DeltaTableReader(table.toString()).snapshot().getVersion());

    DeltaSinkConfig sink =
        DeltaSinkConfig.builder(table.toString(), SCHEMA, "fixture-pipeline/table")
            .partitionColumns(List.of("part"))
            .build();
    StreamEnvironment env =
        new StreamEnvironment(
            JobConfig.of("fixture-pipeline", dir.resolve("checkpoints"))
                .withCheckpointInterval(Duration.ofMillis(100))
                .withRestarts(0, Duration.ofMillis(1)));
    env.fromSource(new SplitSource(40_000, 4), "numbers", 2)
        .map(v -> new Row(v, "p" + (v % 3)))
        .rebalance(2)
        .sinkTo(new DeltaSink(sink), "delta-sink");
    env.execute();

    List<Row> rows = new DeltaTableReader(table.toString()).readRows(SCHEMA);
    assertEquals(40_000, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      assertEquals((long) i, rows.get(i).get(0));
      assertEquals("p" + (i % 3), rows.get(i).get(1));
    }
    long txn =
        new DeltaTableReader(table.toString()).transactionVersion("fixture-pipeline/table")
            .orElseThrow();
    assertTrue(txn > 6, "the resumed job committed after the restored checkpoint 6: " + txn);
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else if (!f.getFileName().toString().equals("README.md")) {
          Files.copy(f, target);
        }
      }
    }
  }
}
