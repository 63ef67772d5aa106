package io.sluice.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.service.internal.BackfillRange.Bound;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackfillRangeTest {
  private static final long T1 = 1_769_817_600_000L; // 2026-01-31T00:00:00Z
  private static final long T2 = T1 + 3_600_000;
  private static final long NOW = T2 + 60_000;

  /** A topic of three partitions: logs from 10, 0 and 5 to 100, 80 and 5 (the last is empty). */
  private static final Map<Integer, Long> EARLIEST = Map.of(0, 10L, 1, 0L, 2, 5L);
  private static final Map<Integer, Long> END = Map.of(0, 100L, 1, 80L, 2, 5L);
  /** Records at or after T1 from offsets 40 and 30; at or after T2 from 70 (partition 1: none). */
  private static final LongFunction<Map<Integer, Long>> BY_TIME = millis -> millis == T1
      ? Map.of(0, 40L, 1, 30L, 2, 5L)
      : millis == T2 ? Map.of(0, 70L, 1, 80L, 2, 5L) : Map.of();

  private static Bound time(long millis) {
    return new Bound.Time(millis);
  }

  private static Bound offsets(String text) {
    return new Bound.Offsets(BackfillRange.parseOffsets(text));
  }

  private static SortedMap<Integer, Long> map(Object... partitionsAndOffsets) {
    SortedMap<Integer, Long> map = new TreeMap<>();
    for (int i = 0; i < partitionsAndOffsets.length; i += 2) {
      map.put((Integer) partitionsAndOffsets[i], ((Number) partitionsAndOffsets[i + 1]).longValue());
    }
    return map;
  }

  private static String refusal(BackfillRange range) {
    return assertThrows(IllegalArgumentException.class,
        () -> range.resolve(EARLIEST, END, BY_TIME)).getMessage();
  }

  @Test
  void timesAreIsoInstantsOrEpochMillis() {
    assertEquals(T1, BackfillRange.TIME.read(new CommandLineValue("2026-01-31T00:00:00Z")));
    assertEquals(T1, BackfillRange.TIME.read(new CommandLineValue("2026-01-31T01:00:00+01:00")));
    assertEquals(T1, BackfillRange.TIME.read(new CommandLineValue(String.valueOf(T1))));
    for (String bad : new String[] {"yesterday", "2026-01-31", "-5", ""}) {
      RuntimeException e = assertThrows(RuntimeException.class,
          () -> BackfillRange.TIME.read(new CommandLineValue(bad)));
      assertTrue(e.getMessage().startsWith("expected an ISO-8601 instant (2026-01-31T00:00:00Z) "
          + "or epoch milliseconds, got '" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void offsetsArePartitionColonOffsetListedOnce() {
    assertEquals(map(0, 1200, 3, 7), BackfillRange.parseOffsets("3:7, 0:1200"));
    assertEquals("0:1200,3:7", BackfillRange.formatOffsets(map(3, 7, 0, 1200)));
    assertEquals("expected PARTITION:OFFSET[,PARTITION:OFFSET...] such as 0:1200,1:1180, got "
            + "'1=5' in '0:1,1=5'",
        assertThrows(IllegalArgumentException.class,
            () -> BackfillRange.parseOffsets("0:1,1=5")).getMessage());
    assertEquals("partition 0 is listed twice in '0:1,0:2'",
        assertThrows(IllegalArgumentException.class,
            () -> BackfillRange.parseOffsets("0:1,0:2")).getMessage());
    assertEquals("partitions and offsets are not negative, got '0:-1'",
        assertThrows(IllegalArgumentException.class,
            () -> BackfillRange.parseOffsets("0:-1")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> BackfillRange.parseOffsets(""));
    assertThrows(IllegalArgumentException.class, () -> BackfillRange.parseOffsets("0:1,"));
  }

  @Test
  void toMustBeAfterFromAndNeitherInTheFuture() {
    new BackfillRange(time(T1), time(T2)).check(NOW);
    new BackfillRange(offsets("0:1"), time(NOW)).check(NOW);
    assertEquals("--to (2026-01-31T00:00:00Z) must be after --from (2026-01-31T01:00:00Z)",
        assertThrows(IllegalArgumentException.class,
            () -> new BackfillRange(time(T2), time(T1)).check(NOW)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new BackfillRange(time(T1), time(T1)).check(NOW));
    assertEquals("--to: 2026-01-31T01:01:00.001Z is in the future (now: 2026-01-31T01:01:00Z); "
            + "a backfill reads records already written, the live pipeline those to come",
        assertThrows(IllegalArgumentException.class,
            () -> new BackfillRange(time(T1), time(NOW + 1)).check(NOW)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new BackfillRange(time(NOW + 1), offsets("0:5")).check(NOW)).getMessage()
        .startsWith("--from: 2026-01-31T01:01:00.001Z is in the future"));
  }

  @Test
  void timesResolveInEveryPartitionAPartitionWithoutLaterRecordsEndingAtItsEnd() {
    BackfillRange.Offsets resolved = new BackfillRange(time(T1), time(T2))
        .resolve(EARLIEST, END, BY_TIME);
    assertEquals(map(0, 40, 1, 30, 2, 5), resolved.start());
    assertEquals(map(0, 70, 1, 80, 2, 5), resolved.stop());
    assertEquals(30 + 50, resolved.total());
    assertEquals("--from 2026-01-31T00:00:00Z --to 2026-01-31T01:00:00Z",
        new BackfillRange(time(T1), time(T2)).describe());
  }

  @Test
  void offsetsChooseThePartitionsTheOtherBoundComingFromTheLogOrATime() {
    BackfillRange.Offsets listed = new BackfillRange(offsets("0:20,2:5"), offsets("0:60,1:50"))
        .resolve(EARLIEST, END, BY_TIME);
    assertEquals(map(0, 20, 1, 0, 2, 5), listed.start(), "partition 1 from its log start");
    assertEquals(map(0, 60, 1, 50, 2, 5), listed.stop(), "partition 2 to its end now");
    assertEquals(40 + 50, listed.total());

    BackfillRange mixed = new BackfillRange(time(T1), offsets("1:60"));
    BackfillRange.Offsets resolved = mixed.resolve(EARLIEST, END, BY_TIME);
    assertEquals(map(1, 30), resolved.start());
    assertEquals(map(1, 60), resolved.stop());
    assertEquals("--from 2026-01-31T00:00:00Z --to-offsets 1:60", mixed.describe());
  }

  @Test
  void offsetsOutsideTheTopicOrItsLogAndBackwardRangesAreRefusedNamingTheFlag() {
    assertEquals("--from-offsets: the topic has no partition 3 (it has partitions 0 to 2)",
        refusal(new BackfillRange(offsets("3:0"), time(T2))));
    assertEquals("--from-offsets: offset 5 of partition 0 is no longer in the log, which starts "
            + "at 10",
        refusal(new BackfillRange(offsets("0:5"), time(T2))));
    assertEquals("--to-offsets: offset 101 of partition 0 is beyond its end (100 now); a "
            + "backfill reads records already written",
        refusal(new BackfillRange(time(T1), offsets("0:101"))));
    assertEquals("partition 0: the range ends (--to-offsets, offset 30) before it starts (--from, "
            + "offset 40)",
        refusal(new BackfillRange(time(T1), offsets("0:30"))));
  }

  @Test
  void progressCountsTheOffsetsReadWithinTheRange() {
    BackfillRange.Offsets range = new BackfillRange.Offsets(map(0, 40, 1, 30), map(0, 70, 1, 80));
    assertEquals(0, range.done(Map.of()));
    assertEquals(10 + 50, range.done(Map.of(0, 50L, 1, 95L)), "never past the stop offset");
    assertEquals(80, range.done(Map.of(0, 70L, 1, 80L)));
    assertEquals("sluice: backfill 'fix-1': 60 of 80 records (75.0%), 20 records/s, ETA 0:00:01, "
            + "checkpoint 3",
        BackfillProgress.line("fix-1", 60, 80, 20, 3));
    assertEquals("sluice: backfill 'fix-1': 0 of 7200 records (0.0%), 0 records/s, ETA unknown, "
            + "checkpoint -1",
        BackfillProgress.line("fix-1", 0, 7200, 0, -1));
    assertEquals("ETA 1:01:40", BackfillProgress.line("x", 0, 3700, 1, 1)
        .replaceAll(".*(ETA [^,]+),.*", "$1"));
  }

  @Test
  void theRecordKeepsTheRangeAndItsOffsetsAndTellsAnotherRangeApart(@TempDir Path dir) {
    Path checkpoints = dir.resolve("checkpoints/backfill-fix-1");
    assertEquals(Optional.empty(), BackfillRecord.read(checkpoints));
    BackfillRange range = new BackfillRange(time(T1), offsets("0:60,1:50"));
    BackfillRecord record = new BackfillRecord("orders", "orders-topic", range.describe(),
        range.resolve(EARLIEST, END, BY_TIME));
    record.write(checkpoints);
    BackfillRecord read = BackfillRecord.read(checkpoints).orElseThrow();
    assertEquals(record, read);
    assertEquals(Optional.empty(), read.mismatch("orders", "orders-topic", range.describe()));
    assertEquals(Optional.of("it covers --from 2026-01-31T00:00:00Z --to-offsets 0:60,1:50, not "
            + "--from 2026-01-31T00:00:00Z --to 2026-01-31T01:00:00Z"),
        read.mismatch("orders", "orders-topic", new BackfillRange(time(T1), time(T2)).describe()));
    assertEquals(Optional.of("it read topic 'orders-topic', not 'other'"),
        read.mismatch("orders", "other", range.describe()));
    assertEquals(Optional.of("it is a backfill of pipeline 'orders', not 'payments'"),
        read.mismatch("payments", "orders-topic", range.describe()));
  }

  @Test
  void aCorruptRecordNamesItsFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(BackfillRecord.FILE), "pipeline=orders\ntopic=t\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BackfillRecord.read(dir));
    assertEquals(dir.resolve(BackfillRecord.FILE) + " is corrupt: no range", e.getMessage());
  }
}
