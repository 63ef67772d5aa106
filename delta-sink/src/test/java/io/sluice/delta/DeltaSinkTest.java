package io.sluice.delta;

import io.sluice.testing.DeltaTableReader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.delta.internal.DataFileNames;
import io.sluice.engine.UnrecoverableException;
import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import io.sluice.engine.sink.CommitterContext;
import io.sluice.engine.sink.GlobalCommitter;
import io.sluice.engine.sink.SinkContext;
import io.sluice.engine.sink.SinkWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaSinkTest {
  static final Schema SCHEMA =
      new Schema(
          List.of(
              new Field("id", FieldType.LONG, false),
              new Field("name", FieldType.STRING, true),
              new Field("qty", FieldType.INT, true),
              new Field("ratio", FieldType.FLOAT, true),
              new Field("amount", FieldType.DOUBLE, true),
              new Field("flag", FieldType.BOOLEAN, true),
              new Field("ts", FieldType.TIMESTAMP, true),
              new Field("day", FieldType.DATE, true),
              new Field("raw", FieldType.BINARY, true)));

  /** The committer context of one lineage of pipeline "pipe-1". */
  static final CommitterContext COMMITTER = new CommitterContext("pipe-1", "lineage-1");

  static final long TS0 = 1_700_000_000_123_456L; // 2023-11-14T22:13:20.123456Z
  static final int DAY0 = (int) LocalDate.of(2024, 1, 2).toEpochDay();

  @TempDir Path dir;

  static Row row(long id) {
    return new Row(
        id,
        id % 5 == 0 ? null : "name-" + id,
        (int) (id * 3),
        id / 2.0f,
        id * 1.5,
        id % 2 == 0,
        TS0 + id,
        DAY0 + (int) (id % 3),
        id % 7 == 0 ? null : new byte[] {(byte) id, (byte) 0xFF, 0}); // not UTF-8
  }

  private DeltaSinkConfig.Builder config(Path table) {
    return DeltaSinkConfig.builder(table.toString(), SCHEMA, "pipe-1/orders");
  }

  private static List<DeltaCommittable> writeAndPrepare(
      DeltaSink sink, int subtask, long restored, long checkpoint, List<Row> rows)
      throws Exception {
    try (SinkWriter<Row, DeltaCommittable> writer =
        sink.createWriter(new SinkContext("pipe-1", subtask, 2, restored))) {
      for (Row r : rows) {
        writer.write(r);
      }
      return writer.prepareCommit(checkpoint);
    }
  }

  static List<Row> rows(long from, long to) {
    List<Row> out = new ArrayList<>();
    for (long i = from; i < to; i++) {
      out.add(row(i));
    }
    return out;
  }

  private static List<String> deltaVersions(Path table) throws Exception {
    try (Stream<Path> s = Files.list(table.resolve("_delta_log"))) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d{20}\\.json"))
          .sorted()
          .toList();
    }
  }

  private static List<Path> parquetFiles(Path table) throws Exception {
    try (Stream<Path> s = Files.walk(table)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> !p.toString().contains("_delta_log"))
          .toList();
    }
  }

  @Test
  void writersStageAndCommitterPublishesExactRows() throws Exception {
    Path table = dir.resolve("orders");
    DeltaSink sink = new DeltaSink(config(table).build());
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(COMMITTER)) {
      committer.discardUncommitted(-1);
      List<DeltaCommittable> staged = new ArrayList<>();
      staged.addAll(writeAndPrepare(sink, 0, -1, 1, rows(0, 100)));
      staged.addAll(writeAndPrepare(sink, 1, -1, 1, rows(100, 250)));
      assertEquals(2, staged.size());
      // Staged files are invisible until committed.
      assertEquals(List.of(), new DeltaTableReader(table.toString()).readRows(SCHEMA));
      committer.commit(1, staged);
      assertEquals(rows(0, 250), new DeltaTableReader(table.toString()).readRows(SCHEMA));

      committer.commit(2, writeAndPrepare(sink, 0, 1, 2, rows(250, 300)));
      assertEquals(rows(0, 300), new DeltaTableReader(table.toString()).readRows(SCHEMA));
      assertEquals(4, deltaVersions(table).size()); // create, the lineage, 2 data commits
      assertEquals(2L, new DeltaTableReader(table.toString()).transactionVersion("pipe-1/orders").orElseThrow());
      // Nothing to commit: no new version.
      committer.commit(3, List.of());
      assertEquals(4, deltaVersions(table).size());
    }
    for (Path p : parquetFiles(table)) {
      String name = p.getFileName().toString();
      assertTrue(name.matches("pipe-1_orders_[0-9a-f]{12}-c[12]-s[01]-[0-9a-f]{32}\\.snappy\\.parquet"), name);
    }
    assertTrue(parquetFiles(table).stream().noneMatch(p -> Files.exists(p.resolveSibling("." + p.getFileName() + ".crc"))));
  }

  @Test
  void partitionedTableHasHiveDirectoriesAndPartitionValues() throws Exception {
    Path table = dir.resolve("part");
    Schema schema =
        new Schema(
            List.of(
                new Field("id", FieldType.LONG, false),
                new Field("region", FieldType.STRING, true),
                new Field("day", FieldType.DATE, true),
                new Field("v", FieldType.STRING, true)));
    // A Hadoop URI as the table path.
    DeltaSink sink =
        new DeltaSink(
            DeltaSinkConfig.builder(table.toUri().toString(), schema, "pipe-1/part")
                .partitionColumns("region", "day")
                .build());
    List<Row> rows = new ArrayList<>();
    String[] regions = {"eu", "us west", "a/b:c=d%", null};
    for (long i = 0; i < 40; i++) {
      rows.add(new Row(i, regions[(int) (i % 4)], DAY0 + (int) ((i / 4) % 2), "v" + i));
    }
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(COMMITTER)) {
      committer.discardUncommitted(-1);
      List<DeltaCommittable> staged;
      try (SinkWriter<Row, DeltaCommittable> writer =
          sink.createWriter(new SinkContext("pipe-1", 0, 1, -1))) {
        for (Row r : rows) {
          writer.write(r);
        }
        staged = writer.prepareCommit(1);
      }
      assertEquals(8, staged.size()); // 4 regions x 2 days
      committer.commit(1, staged);
    }
    assertEquals(rows, new DeltaTableReader(table.toString()).readRows(schema));

    Set<String> dirs = new HashSet<>();
    for (Path p : parquetFiles(table)) {
      dirs.add(table.relativize(p.getParent()).toString());
    }
    assertEquals(
        Set.of(
            "region=eu/day=2024-01-02", "region=eu/day=2024-01-03",
            "region=us west/day=2024-01-02", "region=us west/day=2024-01-03",
            "region=a%2Fb%3Ac%3Dd%25/day=2024-01-02", "region=a%2Fb%3Ac%3Dd%25/day=2024-01-03",
            "region=__HIVE_DEFAULT_PARTITION__/day=2024-01-02",
            "region=__HIVE_DEFAULT_PARTITION__/day=2024-01-03"),
        dirs);

    Set<Map<String, String>> partitionValues = new HashSet<>();
    for (Map.Entry<String, Map<String, String>> f : new DeltaTableReader(table.toString()).files()) {
      partitionValues.add(f.getValue());
      assertFalse(f.getKey().startsWith("/") || f.getKey().startsWith("file:"), "relative path: " + f.getKey());
    }
    Set<Map<String, String>> expected = new HashSet<>();
    for (String region : regions) {
      for (String day : List.of("2024-01-02", "2024-01-03")) {
        Map<String, String> m = new HashMap<>();
        m.put("region", region);
        m.put("day", day);
        expected.add(m);
      }
    }
    assertEquals(expected, partitionValues);
    // The Delta log stores the escaped directory URI-encoded ('%' -> '%25'); version 1 is the lineage.
    String log = Files.readString(table.resolve("_delta_log").resolve(String.format("%020d.json", 2)));
    assertTrue(log.contains("region=a%252Fb%253Ac%253Dd%2525/day=2024-01-02/"), log);
  }

  @Test
  void statsJsonHasCountsBoundsAndNullCounts() throws Exception {
    Path table = dir.resolve("stats");
    DeltaSink sink = new DeltaSink(config(table).build());
    List<Row> rows = rows(1, 11); // ids 1..10, name null for id 5 and 10
    String longA = "a".repeat(40);
    String longZ = "z".repeat(31) + "yy-and-more";
    rows.add(new Row(11L, longA, null, null, null, null, null, null, null));
    rows.add(new Row(12L, longZ, null, null, null, null, null, null, null));
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(COMMITTER)) {
      committer.commit(1, writeAndPrepare(sink, 0, -1, 1, rows));
    }
    JsonNode stats = null;
    ObjectMapper mapper = new ObjectMapper();
    for (String line : Files.readAllLines(table.resolve("_delta_log").resolve(String.format("%020d.json", 1)))) {
      JsonNode action = mapper.readTree(line);
      if (action.has("add")) {
        stats = mapper.readTree(action.get("add").get("stats").asText());
      }
    }
    assertEquals(12, stats.get("numRecords").asLong());
    JsonNode min = stats.get("minValues");
    JsonNode max = stats.get("maxValues");
    JsonNode nulls = stats.get("nullCount");
    assertEquals(1, min.get("id").asLong());
    assertEquals(12, max.get("id").asLong());
    assertEquals(3, min.get("qty").asInt());
    assertEquals(30, max.get("qty").asInt());
    assertEquals(0.5, min.get("ratio").asDouble(), 1e-6);
    assertEquals(5.0, max.get("ratio").asDouble(), 1e-6);
    assertEquals(1.5, min.get("amount").asDouble(), 1e-9);
    assertEquals(15.0, max.get("amount").asDouble(), 1e-9);
    assertFalse(min.get("flag").asBoolean());
    assertTrue(max.get("flag").asBoolean());
    assertEquals("2024-01-02", min.get("day").asText());
    assertEquals("2024-01-04", max.get("day").asText());
    // Timestamps are stored in milliseconds: min truncated down, max rounded up.
    assertEquals("2023-11-14T22:13:20.123Z", min.get("ts").asText());
    assertEquals("2023-11-14T22:13:20.124Z", max.get("ts").asText());
    // Strings: 32-char prefix for min, an upper bound of the same length for a truncated max.
    assertEquals("a".repeat(32), min.get("name").asText());
    assertEquals("z".repeat(31) + "z", max.get("name").asText());
    assertEquals(0, nulls.get("id").asLong());
    assertEquals(2, nulls.get("name").asLong());
    assertEquals(2, nulls.get("qty").asLong());
    assertEquals(2, nulls.get("ts").asLong());
    // Binary values: a null count (id 7 and the two rows above), no bounds.
    assertEquals(3, nulls.get("raw").asLong());
    assertFalse(min.has("raw") || max.has("raw"), stats::toString);
  }

  @Test
  void freshStartFilesBelongToCheckpointOne() throws Exception {
    Path table = dir.resolve("fresh");
    DeltaSink sink = new DeltaSink(config(table).build());
    DataFileNames names = new DataFileNames("pipe-1/orders");
    List<DeltaCommittable> staged = writeAndPrepare(sink, 0, -1, 1, rows(0, 10));
    assertEquals(OptionalLong.of(1), names.checkpointOf(staged.get(0).fileName()));
    // Orphan cleanup: kept once checkpoint 1 completed, removed on another fresh start.
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(COMMITTER)) {
      committer.discardUncommitted(1);
      assertTrue(Files.exists(table.resolve(staged.get(0).relativePath())));
      committer.discardUncommitted(-1);
      assertFalse(Files.exists(table.resolve(staged.get(0).relativePath())));
    }
  }

  private static long micros(String instant) {
    Instant i = Instant.parse(instant);
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  @Test
  void timestampPartitionsFarFromTheEpochCommitAndReadBack() throws Exception {
    Path table = dir.resolve("far");
    Schema schema =
        new Schema(
            List.of(new Field("id", FieldType.LONG, false), new Field("ts", FieldType.TIMESTAMP, false)));
    DeltaSink sink =
        new DeltaSink(
            DeltaSinkConfig.builder(table.toString(), schema, "pipe-1/far")
                .partitionColumns("ts")
                .commitMaxAttempts(2)
                .commitRetryBackoff(Duration.ofMillis(1))
                .build());
    String[] values = {
      "9999-12-31T00:00:00Z", "9999-12-31T23:59:59.999999Z", "0001-01-01T00:00:00Z",
      "1500-06-01T12:00:00.000001Z", "2023-11-14T22:13:20.123456Z"
    };
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      rows.add(new Row((long) i, micros(values[i])));
    }
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(COMMITTER)) {
      committer.discardUncommitted(-1);
      List<DeltaCommittable> staged;
      try (SinkWriter<Row, DeltaCommittable> writer =
          sink.createWriter(new SinkContext("pipe-1", 0, 1, -1))) {
        for (Row r : rows) {
          writer.write(r);
        }
        staged = writer.prepareCommit(1);
      }
      committer.commit(1, staged);
    }
    assertEquals(rows, new DeltaTableReader(table.toString()).readRows(schema));
    Set<String> logged = new HashSet<>();
    for (Map.Entry<String, Map<String, String>> f : new DeltaTableReader(table.toString()).files()) {
      logged.add(f.getValue().get("ts"));
    }
    assertTrue(logged.contains("9999-12-31T00:00:00.000000Z"), logged.toString());
    assertTrue(logged.contains("0001-01-01T00:00:00.000000Z"), logged.toString());
  }

  @Test
  void unrepresentablePartitionValuesFailTheWriterNamingColumnAndValue() throws Exception {
    Path table = dir.resolve("unrep");
    Schema schema =
        new Schema(
            List.of(
                new Field("id", FieldType.LONG, false),
                new Field("ts", FieldType.TIMESTAMP, true),
                new Field("day", FieldType.DATE, true)));
    DeltaSink sink =
        new DeltaSink(
            DeltaSinkConfig.builder(table.toString(), schema, "pipe-1/unrep")
                .partitionColumns("ts", "day")
                .build());
    try (SinkWriter<Row, DeltaCommittable> writer =
        sink.createWriter(new SinkContext("pipe-1", 0, 1, -1))) {
      writer.write(new Row(0L, micros("2024-01-01T00:00:00Z"), DAY0));
      long bce = micros("-0001-06-01T00:00:00Z");
      UnrecoverableException e =
          assertThrows(UnrecoverableException.class, () -> writer.write(new Row(1L, bce, DAY0)));
      assertTrue(e.getMessage().contains("'ts'") && e.getMessage().contains(Long.toString(bce)), e.getMessage());
      assertTrue(e.getMessage().contains("-0001-06-01T00:00:00Z"), e.getMessage());
      long y10k = micros("+10000-01-01T00:00:00Z");
      e = assertThrows(UnrecoverableException.class, () -> writer.write(new Row(2L, y10k, DAY0)));
      assertTrue(e.getMessage().contains("'ts'") && e.getMessage().contains("+10000-01-01"), e.getMessage());
      int day10k = (int) LocalDate.of(10000, 1, 1).toEpochDay();
      e = assertThrows(UnrecoverableException.class, () -> writer.write(new Row(3L, null, day10k)));
      assertTrue(e.getMessage().contains("'day'") && e.getMessage().contains("+10000-01-01"), e.getMessage());
      // Only the valid row was staged.
      List<DeltaCommittable> staged = writer.prepareCommit(1);
      assertEquals(1, staged.size());
      assertEquals(1, staged.get(0).numRecords());
    }
  }

  @Test
  void emptyStringInNotNullPartitionColumnIsRejected() throws Exception {
    Path table = dir.resolve("empty");
    Schema schema =
        new Schema(
            List.of(
                new Field("id", FieldType.LONG, false),
                new Field("region", FieldType.STRING, false),
                new Field("zone", FieldType.STRING, true)));
    DeltaSink sink =
        new DeltaSink(
            DeltaSinkConfig.builder(table.toString(), schema, "pipe-1/empty")
                .partitionColumns("region", "zone")
                .build());
    List<DeltaCommittable> staged;
    try (SinkWriter<Row, DeltaCommittable> writer =
        sink.createWriter(new SinkContext("pipe-1", 0, 1, -1))) {
      UnrecoverableException e =
          assertThrows(UnrecoverableException.class, () -> writer.write(new Row(1L, "", "z")));
      assertTrue(e.getMessage().contains("'region'") && e.getMessage().contains("empty string"), e.getMessage());
      // In a nullable partition column the empty string is a null partition value, as in Delta.
      writer.write(new Row(2L, "eu", ""));
      staged = writer.prepareCommit(1);
    }
    assertEquals(1, staged.size());
    Map<String, String> expected = new HashMap<>();
    expected.put("region", "eu");
    expected.put("zone", null);
    assertEquals(expected, staged.get(0).partitionValues());
  }

  @Test
  void stringStatsDescribeTheBytesWritten() throws Exception {
    Path table = dir.resolve("surrogate");
    DeltaSink sink = new DeltaSink(config(table).build());
    List<Row> rows = new ArrayList<>();
    // A lone surrogate is written as '?' (0x3F), which sorts before 'A' (0x41).
    rows.add(new Row(1L, "\uD800", null, null, null, null, null, null, null));
    rows.add(new Row(2L, "A", null, null, null, null, null, null, null));
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(COMMITTER)) {
      committer.commit(1, writeAndPrepare(sink, 0, -1, 1, rows));
    }
    List<Row> read = new DeltaTableReader(table.toString()).readRows(SCHEMA);
    assertEquals("?", read.get(0).get(1));
    ObjectMapper mapper = new ObjectMapper();
    JsonNode stats = null;
    for (String line : Files.readAllLines(table.resolve("_delta_log").resolve(String.format("%020d.json", 1)))) {
      JsonNode action = mapper.readTree(line);
      if (action.has("add")) {
        stats = mapper.readTree(action.get("add").get("stats").asText());
      }
    }
    assertEquals("?", stats.get("minValues").get("name").asText());
    assertEquals("A", stats.get("maxValues").get("name").asText());
  }

  @Test
  void committingTheSameCheckpointTwicePublishesOnce() throws Exception {
    Path table = dir.resolve("idem");
    DeltaSink sink = new DeltaSink(config(table).build());
    List<DeltaCommittable> staged;
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(COMMITTER)) {
      staged = writeAndPrepare(sink, 0, -1, 1, rows(0, 50));
      committer.commit(1, staged);
      committer.commit(1, staged);
    }
    // After a restore: a new committer re-commits the checkpoint's committables (deserialized).
    List<DeltaCommittable> restored = new ArrayList<>();
    for (DeltaCommittable c : staged) {
      restored.add(sink.committableSerializer().deserialize(sink.committableSerializer().serialize(c)));
    }
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(COMMITTER)) {
      committer.commit(1, restored);
      committer.discardUncommitted(1);
    }
    assertEquals(2, deltaVersions(table).size()); // create + one data commit
    assertEquals(rows(0, 50), new DeltaTableReader(table.toString()).readRows(SCHEMA));
    assertEquals(1, sink.commitLatencies().count(), "the one commit published, over both committers");
  }

  @Test
  void withoutCreateAMissingTableIsAnUnrecoverableErrorNamingIt() throws Exception {
    Path table = dir.resolve("absent");
    DeltaSink sink = new DeltaSink(config(table).createTable(false).build());
    String expected = "Delta table " + table + " in the file system does not exist, and the sink does not create tables"
        + " (create: false): create it first, or let the sink create it";
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(COMMITTER)) {
      assertEquals(expected, assertThrows(UnrecoverableException.class,
          () -> committer.discardUncommitted(-1)).getMessage());
    }
    assertEquals(expected, assertThrows(UnrecoverableException.class,
        () -> sink.createWriter(new SinkContext("pipe-1", 0, 1, -1))).getMessage());
    assertFalse(Files.exists(table), "nothing was created");

    try (GlobalCommitter<DeltaCommittable> creator = new DeltaSink(config(table).build()).createCommitter(COMMITTER)) {
      creator.discardUncommitted(-1);
    }
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(COMMITTER)) {
      committer.discardUncommitted(-1);
      committer.commit(1, writeAndPrepare(sink, 0, -1, 1, rows(0, 10)));
    }
    assertEquals(rows(0, 10), new DeltaTableReader(table.toString()).readRows(SCHEMA));
  }

  @Test
  void discardUncommittedRemovesOnlyOurOrphans() throws Exception {
    Path table = dir.resolve("orphans");
    DeltaSinkConfig ours = config(table).partitionColumns("flag").build();
    DeltaSink sink = new DeltaSink(ours);
    // A second pipeline writing the same table, and a pipeline whose id is a prefix of ours.
    DeltaSink other = new DeltaSink(DeltaSinkConfig.builder(table.toString(), SCHEMA, "pipe-2/orders").partitionColumns("flag").build());
    DeltaSink prefix = new DeltaSink(DeltaSinkConfig.builder(table.toString(), SCHEMA, "pipe-1/order").partitionColumns("flag").build());
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(COMMITTER)) {
      committer.discardUncommitted(-1);
      committer.commit(1, writeAndPrepare(sink, 0, -1, 1, rows(0, 20)));
    }
    Set<Path> committed = new HashSet<>(parquetFiles(table));
    assertEquals(2, committed.size());
    // Checkpoint 2 is staged by two subtasks but the job dies before it completes.
    List<DeltaCommittable> lost = new ArrayList<>();
    lost.addAll(writeAndPrepare(sink, 0, 1, 2, rows(20, 30)));
    lost.addAll(writeAndPrepare(sink, 1, 1, 2, rows(30, 40)));
    // Subtask 0 had also started files for checkpoint 3 (crash mid-write: not closed).
    SinkWriter<Row, DeltaCommittable> crashed = sink.createWriter(new SinkContext("pipe-1", 0, 2, 2));
    crashed.write(row(41));
    crashed.write(row(42));
    // Files of other pipelines (uncommitted, high checkpoint ids) and a foreign file.
    List<DeltaCommittable> others = new ArrayList<>();
    others.addAll(writeAndPrepare(other, 0, 7, 8, rows(100, 110)));
    others.addAll(writeAndPrepare(prefix, 0, 7, 8, rows(200, 210)));
    Path foreign = table.resolve("flag=true").resolve("part-00000-foreign.snappy.parquet");
    Files.writeString(foreign, "not ours");
    Set<Path> before = new HashSet<>(parquetFiles(table));

    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(COMMITTER)) {
      committer.discardUncommitted(1);
    }
    Set<Path> after = new HashSet<>(parquetFiles(table));
    Set<Path> deleted = new HashSet<>(before);
    deleted.removeAll(after);
    Set<String> expectedDeleted =
        lost.stream().map(DeltaCommittable::fileName).collect(Collectors.toSet());
    Set<String> deletedNames =
        deleted.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    assertTrue(deletedNames.containsAll(expectedDeleted), deletedNames.toString());
    assertEquals(expectedDeleted.size() + 2, deletedNames.size(), "the crashed checkpoint-3 files too");
    assertTrue(after.containsAll(committed));
    assertTrue(after.contains(foreign));
    for (DeltaCommittable c : others) {
      assertTrue(Files.exists(table.resolve(c.relativePath())), c.relativePath());
    }
    assertEquals(rows(0, 20), new DeltaTableReader(table.toString()).readRows(SCHEMA));
    crashed.close();
  }

  @Test
  void refusesToStartWhenTheTableIsAheadOfTheCheckpoint() throws Exception {
    Path table = dir.resolve("ahead");
    DeltaSink sink = new DeltaSink(config(table).build());
    List<DeltaCommittable> orphan;
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(COMMITTER)) {
      committer.commit(1, writeAndPrepare(sink, 0, -1, 1, rows(0, 10)));
      committer.commit(2, writeAndPrepare(sink, 0, 1, 2, rows(10, 20)));
      orphan = writeAndPrepare(sink, 0, 2, 3, rows(20, 30));
    }
    for (long restored : new long[] {1, -1}) {
      try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(COMMITTER)) {
        TableAheadOfCheckpointException e =
            assertThrows(TableAheadOfCheckpointException.class, () -> committer.discardUncommitted(restored));
        assertTrue(e.getMessage().contains("up to checkpoint 2"), e.getMessage());
        assertTrue(e.getMessage().contains(restored < 0 ? "found no checkpoint" : "older checkpoint 1"), e.getMessage());
      }
    }
    // Nothing was deleted: the refusal comes before any cleanup.
    assertTrue(Files.exists(table.resolve(orphan.get(0).relativePath())));
    assertEquals(rows(0, 20), new DeltaTableReader(table.toString()).readRows(SCHEMA));
  }

  @Test
  void refusesATableAnotherLineageOfThePipelineCommittedTo() throws Exception {
    Path table = dir.resolve("lineages");
    DeltaSink sink = new DeltaSink(config(table).build());
    try (GlobalCommitter<DeltaCommittable> first = sink.createCommitter(COMMITTER)) {
      first.discardUncommitted(-1);
      first.commit(1, writeAndPrepare(sink, 0, -1, 1, rows(0, 10)));
    }
    // The same pipeline from another checkpoint directory: another lineage, and its own ids.
    CommitterContext other = new CommitterContext("pipe-1", "lineage-2");
    List<DeltaCommittable> staged = writeAndPrepare(sink, 0, 5, 6, rows(10, 20));
    try (GlobalCommitter<DeltaCommittable> second = sink.createCommitter(other)) {
      LineageConflictException atStart =
          assertThrows(LineageConflictException.class, () -> second.discardUncommitted(5));
      for (String expected :
          List.of("lineage-1", "lineage-2", "pipe-1/orders", "checkpoint directory", "new pipeline id")) {
        assertTrue(atStart.getMessage().contains(expected), atStart.getMessage());
      }
      assertTrue(UnrecoverableException.isCauseOf(atStart), "never retried");
      assertThrows(LineageConflictException.class, () -> second.commit(6, staged));
      assertThrows(LineageConflictException.class, () -> second.commit(1, staged));
    }
    assertTrue(Files.exists(table.resolve(staged.get(0).relativePath())), "nothing cleaned up");
    assertEquals(rows(0, 10), new DeltaTableReader(table.toString()).readRows(SCHEMA));
    try (GlobalCommitter<DeltaCommittable> first = sink.createCommitter(COMMITTER)) {
      first.discardUncommitted(1);
      first.commit(2, writeAndPrepare(sink, 0, 1, 2, rows(10, 20)));
    }
    assertEquals(rows(0, 20), new DeltaTableReader(table.toString()).readRows(SCHEMA));
  }

  @Test
  void rollsFilesBySizeAndRows() throws Exception {
    Path table = dir.resolve("roll");
    DeltaSink bySize = new DeltaSink(config(table).targetFileSizeBytes(4 * 1024).build());
    List<DeltaCommittable> staged = writeAndPrepare(bySize, 0, -1, 1, rows(0, 3000));
    assertTrue(staged.size() >= 3, "files: " + staged.size());
    assertEquals(3000, staged.stream().mapToLong(DeltaCommittable::numRecords).sum());
    try (GlobalCommitter<DeltaCommittable> committer = bySize.createCommitter(COMMITTER)) {
      committer.commit(1, staged);
    }
    assertEquals(rows(0, 3000), new DeltaTableReader(table.toString()).readRows(SCHEMA));

    DeltaSink byRows = new DeltaSink(config(table).maxRowsPerFile(100).build());
    staged = writeAndPrepare(byRows, 0, 1, 2, rows(3000, 3450));
    assertEquals(List.of(100L, 100L, 100L, 100L, 50L), staged.stream().map(DeltaCommittable::numRecords).toList());
    for (DeltaCommittable c : staged) {
      assertEquals(Files.size(table.resolve(c.relativePath())), c.sizeBytes());
    }
  }

  @Test
  void writesLogCheckpointEveryNCommits() throws Exception {
    Path table = dir.resolve("ckpt");
    DeltaSink sink = new DeltaSink(config(table).checkpointInterval(3).build());
    Path log = table.resolve("_delta_log");
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(COMMITTER)) {
      for (long cp = 1; cp <= 3; cp++) {
        assertFalse(Files.exists(log.resolve("_last_checkpoint")));
        committer.commit(cp, writeAndPrepare(sink, 0, cp - 1, cp, rows(cp * 10, cp * 10 + 10)));
      }
    }
    assertTrue(Files.exists(log.resolve(String.format("%020d.checkpoint.parquet", 3))));
    assertTrue(Files.readString(log.resolve("_last_checkpoint")).contains("\"version\":3"));
    assertEquals(rows(10, 40), new DeltaTableReader(table.toString()).readRows(SCHEMA));
  }

  @Test
  void closingAWriterDeletesUnpreparedFiles() throws Exception {
    Path table = dir.resolve("close");
    DeltaSink sink = new DeltaSink(config(table).maxRowsPerFile(10).build());
    SinkWriter<Row, DeltaCommittable> writer = sink.createWriter(new SinkContext("pipe-1", 0, 1, -1));
    for (long i = 0; i < 25; i++) {
      writer.write(row(i));
    }
    assertEquals(3, parquetFiles(table).size());
    writer.close();
    assertEquals(0, parquetFiles(table).size());
  }

  @Test
  void rejectsRowsNotMatchingTheSchema() throws Exception {
    Path table = dir.resolve("bad");
    DeltaSink sink = new DeltaSink(config(table).build());
    try (SinkWriter<Row, DeltaCommittable> writer = sink.createWriter(new SinkContext("pipe-1", 0, 1, -1))) {
      UnrecoverableException e =
          assertThrows(UnrecoverableException.class, () -> writer.write(new Row(1L, "x")));
      assertTrue(e.getMessage().contains("2 values"), e.getMessage());
      Row wrongType = row(1);
      wrongType.set(2, 3L);
      e = assertThrows(UnrecoverableException.class, () -> writer.write(wrongType));
      assertTrue(e.getMessage().contains("'qty'"), e.getMessage());
      Row nullId = row(1);
      nullId.set(0, null);
      assertThrows(UnrecoverableException.class, () -> writer.write(nullId));
    }
  }
}
