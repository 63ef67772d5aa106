package io.sluice.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.TableManager;
import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitClients;
import io.sluice.delta.internal.DataFileNames;
import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import io.sluice.engine.sink.GlobalCommitter;
import io.sluice.engine.sink.SinkContext;
import io.sluice.engine.sink.SinkWriter;
import io.sluice.testing.DeltaTableReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vacuum: what goes, what stays, and the retentions it refuses. */
class VacuumTest {
  /** Partition values that need escaping, in directories and in the log. */
  private static final Schema SCHEMA = new Schema(List.of(
      new Field("id", FieldType.LONG, false), new Field("kind", FieldType.STRING, true)));
  private static final List<String> KINDS = List.of("a:b", "c d", "e%f");
  private static final Duration WEEK = Duration.ofDays(7);

  @TempDir Path dir;

  private Path table;
  private DeltaSink sink;
  private final List<Row> rows = new ArrayList<>();

  /** Commits 1..4 of pipeline "pipe", each 2 files per kind, then compacts: version 5. */
  private void compactedTable() throws Exception {
    table = dir.resolve("t");
    sink = new DeltaSink(DeltaSinkConfig.builder(table.toString(), SCHEMA, "pipe/t")
        .partitionColumns("kind")
        .compaction(new DeltaSinkConfig.Compaction(false, 10, 64 << 20, 1L << 30))
        .build());
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(DeltaSinkTest.COMMITTER)) {
      committer.discardUncommitted(-1);
      for (long cp = 1; cp <= 4; cp++) {
        List<DeltaCommittable> files = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
          try (SinkWriter<Row, DeltaCommittable> w = sink.createWriter(new SinkContext("pipe", subtask, 2, cp - 1))) {
            for (String kind : KINDS) {
              Row row = new Row(cp * 100 + subtask * 10 + KINDS.indexOf(kind), kind);
              rows.add(row);
              w.write(row);
            }
            files.addAll(w.prepareCommit(cp));
          }
        }
        committer.commit(cp, files);
      }
    }
    try (TableCommitClient c = client()) {
      assertEquals(24, TableMaintenance.compact(c, new Configuration(), 1 << 20, Map.of()).filesRemoved());
    }
  }

  private TableCommitClient client() {
    return TableCommitClients.fileSystem(table.toString(), CommitClientConfig.defaults());
  }

  private VacuumResult vacuum(Duration retention, boolean force, boolean dryRun) throws Exception {
    try (TableCommitClient c = client()) {
      return TableMaintenance.vacuum(c, new Configuration(), retention, force, dryRun);
    }
  }

  /** Makes files look {@code age} old: those of {@code dir} whose name passes {@code filter}. */
  private static void age(Path dir, Duration age, java.util.function.Predicate<String> filter) throws Exception {
    FileTime then = FileTime.from(Instant.now().minus(age));
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (filter.test(file.getFileName().toString())) {
          Files.setLastModifiedTime(file, then);
        }
      }
    }
  }

  private Set<String> parquetFiles() throws Exception {
    Set<String> names = new HashSet<>();
    try (Stream<Path> files = Files.walk(table)) {
      files.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log"))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .forEach(p -> names.add(table.relativize(p).toString()));
    }
    return names;
  }

  @Test
  void deletesWhatNoVersionSinceTheCutoffReferencesAndNoPipelineMayStillCommit() throws Exception {
    compactedTable();
    Path kindDir = table.resolve("kind=a%3Ab");
    assertTrue(Files.isDirectory(kindDir), "Hive-escaped directory");
    // Beside the table's files: an old output of a compaction that never committed; an old file of
    // checkpoint 9 of the pipeline, which a restore may still commit; a file written just now; a
    // hidden one and a file that is not Parquet.
    Files.write(kindDir.resolve(DataFileNames.compactedFileName()), new byte[] {1});
    Files.write(kindDir.resolve(new DataFileNames("pipe/t").newFileName(9, 0)), new byte[] {2});
    Files.write(kindDir.resolve(".hidden.parquet"), new byte[] {3});
    Files.write(kindDir.resolve("notes.txt"), new byte[] {4});
    age(table, Duration.ofDays(10), name -> true);
    Files.write(kindDir.resolve(DataFileNames.compactedFileName()), new byte[] {5});
    Set<String> before = parquetFiles();
    assertEquals(3 + 24 + 3, before.size());

    VacuumResult dryRun = vacuum(WEEK, false, true);
    assertEquals(25, dryRun.deleted().size(), dryRun.deleted().toString());
    assertEquals(1, dryRun.keptForPipelines());
    assertEquals(before, parquetFiles(), "a dry run deletes nothing");

    VacuumResult result = vacuum(WEEK, false, false);
    assertEquals(dryRun.deleted(), result.deleted());
    assertTrue(result.bytesDeleted() > 0);
    Set<String> left = parquetFiles();
    assertEquals(5, left.size(), left.toString());
    assertTrue(left.stream().anyMatch(f -> f.contains("-c9-s0-")), left.toString());
    assertTrue(Files.exists(kindDir.resolve(".hidden.parquet")) && Files.exists(kindDir.resolve("notes.txt")));
    assertEquals(rows.stream().sorted((a, b) -> Long.compare((Long) a.get(0), (Long) b.get(0))).toList(),
        new DeltaTableReader(table.toString()).readRows(SCHEMA));
    assertEquals(0, vacuum(WEEK, false, false).deleted().size(), "nothing more to delete");
  }

  @Test
  void keepsFilesAVersionCurrentWithinTheRetentionStillReads() throws Exception {
    compactedTable();
    // The appends and their files are old, but the compaction that removed them is recent: the
    // version before it was current within the week, so its files stay and it still reads.
    // (Version 1 records the pipeline's lineage, 2..5 are its commits, 6 the compaction.)
    age(table, Duration.ofDays(10), name -> !name.startsWith(String.format("%020d", 6))
        && !name.startsWith("compacted-"));
    VacuumResult result = vacuum(WEEK, false, false);
    assertEquals(List.of(), result.deleted());
    TableCommitClient c = client();
    assertEquals(24, new DeltaTableReader(
        () -> TableManager.loadSnapshot(table.toString()).atVersion(5).build(c.engine()))
        .readRows(SCHEMA).size());
    c.close();
  }

  @Test
  void refusesRetentionsShorterThanTheTablesUnlessForcedAndAnyUnderAnHour() throws Exception {
    compactedTable();
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> vacuum(Duration.ofDays(1), false, false));
    assertEquals("refusing to vacuum " + client() + " with a retention of 1d, shorter than its"
        + " delta.deletedFileRetentionDuration of 7d: readers of versions from that time, and"
        + " writers still to commit files that old, could find their files gone; --force"
        + " (force = true) accepts that", refused.getMessage());
    VacuumResult forced = vacuum(Duration.ofDays(1), true, true);
    assertTrue(Duration.between(forced.cutoff(), Instant.now()).compareTo(Duration.ofDays(1)) >= 0);
    refused = assertThrows(IllegalArgumentException.class, () -> vacuum(Duration.ofMinutes(59), true, false));
    assertTrue(refused.getMessage().contains("with a retention of 59m: files written within the last 1h"),
        refused.getMessage());
  }
}
