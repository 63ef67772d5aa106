package io.sluice.service.internal;

import io.sluice.testing.DeltaTableReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import java.util.function.LongPredicate;

/**
 * The soaks' final check: a table holds each synthetic event it should hold exactly once, and
 * nothing else. Event ids are {@code new UUID(seed, index)} ({@code SyntheticEvents.eventId}),
 * so the events produced, {@code 0..produced-1}, are known without keeping them.
 *
 * @param rows the table's rows
 * @param distinct the expected events found
 * @param expected the expected events produced
 * @param duplicates rows of an expected event found before
 * @param unexpected rows of no expected event (another id, or an event that belongs elsewhere)
 * @param seconds how long reading the table took
 */
record ExactlyOnceCheck(long rows, long distinct, long expected, long duplicates, long unexpected,
    double seconds) {

  /**
   * Reads the column {@code idColumn} of every row of {@code table} (Delta Kernel, {@link
   * DeltaTableReader}; a string or the bytes of one, e.g. a dead letter's Kafka key): of the
   * events {@code 0..produced-1} of {@code seed}, each that {@code expected} accepts must be there
   * once, and nothing else.
   */
  static ExactlyOnceCheck read(Path table, String idColumn, long seed, long produced,
      LongPredicate expected) throws IOException {
    BitSet seen = new BitSet((int) produced);
    long[] rows = new long[1];
    long[] duplicates = new long[1];
    long[] unexpected = new long[1];
    long start = System.nanoTime();
    new DeltaTableReader(table.toString()).forEach(List.of(idColumn), row -> {
      rows[0]++;
      long index = eventIndex(row[0], seed);
      if (index < 0 || index >= produced || !expected.test(index)) {
        unexpected[0]++;
      } else if (seen.get((int) index)) {
        duplicates[0]++;
      } else {
        seen.set((int) index);
      }
    });
    long expectedCount = 0;
    for (long index = 0; index < produced; index++) {
      if (expected.test(index)) {
        expectedCount++;
      }
    }
    return new ExactlyOnceCheck(rows[0], seen.cardinality(), expectedCount, duplicates[0],
        unexpected[0], (System.nanoTime() - start) / 1e9);
  }

  boolean exact() {
    return distinct == expected && duplicates == 0 && unexpected == 0;
  }

  @Override
  public String toString() {
    return String.format("%s: %,d rows, %,d distinct event ids of %,d expected, %,d duplicates,"
            + " %,d missing, %,d not expected (read in %.1f s)",
        exact() ? "EXACTLY ONCE" : "NOT EXACTLY ONCE", rows, distinct, expected, duplicates,
        expected - distinct, unexpected, seconds);
  }

  /** The index of a synthetic event id of {@code seed}, or -1 for any other value. */
  private static long eventIndex(Object id, long seed) {
    try {
      UUID uuid = UUID.fromString(id instanceof byte[] bytes
          ? new String(bytes, StandardCharsets.ISO_8859_1) : (String) id);
      return uuid.getMostSignificantBits() == seed ? uuid.getLeastSignificantBits() : -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
