package io.sluice.delta.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.delta.DataFileMetrics;
import io.sluice.delta.DeltaCommittable;
import io.sluice.delta.DeltaSink;
import io.sluice.delta.DeltaSinkConfig;
import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import io.sluice.engine.sink.GlobalCommitter;
import io.sluice.engine.sink.SinkContext;
import io.sluice.testing.DeltaTableReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the writer closes when it has more partition values than open-file slots. */
class OpenFileCapTest {
  private static final Schema SCHEMA =
      new Schema(List.of(new Field("id", FieldType.LONG, false), new Field("p", FieldType.STRING, false)));
  /** A waiting row with a 4-letter value takes 18 bytes: presence, 8; presence, length, 4. */
  private static final int ROW_BYTES = 18;

  @TempDir Path dir;

  private final List<Row> written = new ArrayList<>();
  private DeltaSink sink;

  private DeltaSinkWriter writer(int maxOpenFiles, long waitingBudget) throws Exception {
    sink = new DeltaSink(DeltaSinkConfig.builder(dir.resolve("t").toString(), SCHEMA, "pipe/t")
        .partitionColumns("p")
        .maxOpenFilesPerWriter(maxOpenFiles)
        .parquetRowGroupSizeBytes(waitingBudget)
        .build());
    return (DeltaSinkWriter) sink.createWriter(new SinkContext("pipe", 0, 1, -1));
  }

  private void write(DeltaSinkWriter writer, String value, int maxOpenFiles, long budget) throws Exception {
    Row row = new Row((long) written.size(), value);
    written.add(row);
    writer.write(row);
    assertTrue(writer.openFileCount() <= maxOpenFiles, "open files " + writer.openFileCount());
    assertTrue(writer.waitingBytes() <= budget, "waiting bytes " + writer.waitingBytes());
  }

  private static Map<String, List<Long>> rowsPerFileByValue(List<DeltaCommittable> files) {
    return files.stream().collect(Collectors.groupingBy(
        f -> f.partitionValues().get("p"),
        Collectors.mapping(DeltaCommittable::numRecords, Collectors.toList())));
  }

  private void commitAndCheckRows(List<DeltaCommittable> files) throws Exception {
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(new io.sluice.engine.sink.CommitterContext("pipe-1", "lineage-1"))) {
      committer.commit(1, files);
    }
    assertEquals(written, new DeltaTableReader(dir.resolve("t").toString()).readRows(SCHEMA));
  }

  /** Issue 7's case: 10 values, 4 slots; it made files of 1.65 rows when the cap closed files. */
  @Test
  void moreValuesThanSlotsStillMakeOneFilePerValueAndCheckpoint() throws Exception {
    long budget = 64L << 20;
    List<DeltaCommittable> files;
    Random random = new Random(7);
    try (DeltaSinkWriter writer = writer(4, budget)) {
      for (int i = 0; i < 40_000; i++) {
        write(writer, "v" + random.nextInt(10), 4, budget);
      }
      files = writer.prepareCommit(1);
      assertEquals(0, writer.openFileCount());
      assertEquals(0, writer.waitingBytes());
    }
    Map<String, List<Long>> byValue = rowsPerFileByValue(files);
    assertEquals(10, byValue.size());
    byValue.forEach((value, rows) -> assertEquals(1, rows.size(), value + ": " + rows));
    DataFileMetrics metrics = sink.dataFileMetrics();
    assertEquals(10, metrics.files());
    assertEquals(0, metrics.filesClosedByCap());
    assertTrue(metrics.rowsWaited() > 20_000, "rows waited: " + metrics.rowsWaited());
    commitAndCheckRows(files);
  }

  @Test
  void pastTheBudgetTheSlowestFillingFileGivesUpItsSlot() throws Exception {
    long budget = 7 * ROW_BYTES;
    List<DeltaCommittable> files;
    try (DeltaSinkWriter writer = writer(2, budget)) {
      write(writer, "cold", 2, budget);
      write(writer, "busy", 2, budget);
      // "cold" never gets another row; "busy" and "warm" share the stream 3:1. The 8th waiting row
      // of "warm" exceeds the budget: the cap closes the file filling slowest, cold's, not the
      // largest (busy's) nor the least recent alone.
      for (int i = 0; i < 400; i++) {
        write(writer, i % 4 == 3 ? "warm" : "busy", 2, budget);
      }
      files = writer.prepareCommit(1);
    }
    Map<String, List<Long>> byValue = rowsPerFileByValue(files);
    assertEquals(Map.of("cold", List.of(1L), "busy", List.of(301L), "warm", List.of(100L)), byValue);
    assertEquals(1, sink.dataFileMetrics().filesClosedByCap());
    assertTrue(sink.dataFileMetrics().bytesClosedByCap() > 0);
    commitAndCheckRows(files);
  }

  @Test
  void aBacklogFillingSlowerThanEveryOpenFileBecomesAFileOfItsOwn() throws Exception {
    long budget = 5 * ROW_BYTES;
    List<DeltaCommittable> files;
    try (DeltaSinkWriter writer = writer(1, budget)) {
      // One slot, taken by "busy" (9 rows in 10); each 6th waiting row of "rare" overflows the
      // budget, and its backlog, filling slower than busy's file, is written as a file of 6 rows.
      for (int i = 0; i < 600; i++) {
        write(writer, i % 10 == 9 ? "rare" : "busy", 1, budget);
      }
      files = writer.prepareCommit(1);
    }
    Map<String, List<Long>> byValue = rowsPerFileByValue(files);
    assertEquals(List.of(540L), byValue.get("busy"));
    assertEquals(List.of(6L, 6L, 6L, 6L, 6L, 6L, 6L, 6L, 6L, 6L), byValue.get("rare"));
    assertEquals(10, sink.dataFileMetrics().filesClosedByCap());
    commitAndCheckRows(files);
  }
}
