package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.localkafka.SyntheticEvents;
import io.sluice.testing.DeltaTableReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The exactly-once check of the end-to-end tests: what a table holds, against what was produced. */
final class TableContents {
  private TableContents() {}

  /**
   * Checks that the table holds the synthetic events {@code 0..events-1} of each seed, each exactly
   * once: none lost, none twice, nothing else.
   *
   * @return the number of rows
   */
  static int assertEachEventOnce(DeltaTableReader reader, long events, long... seeds) throws IOException {
    Map<Long, Long> eventsBySeed = new LinkedHashMap<>();
    for (long seed : seeds) {
      eventsBySeed.put(seed, events);
    }
    return assertEachEventOnce(reader, eventsBySeed);
  }

  /**
   * Checks that the table holds the synthetic events {@code 0..n-1} of each seed with its {@code
   * n}, each exactly once: none lost, none twice, nothing else.
   *
   * @return the number of rows
   */
  static int assertEachEventOnce(DeltaTableReader reader, Map<Long, Long> eventsBySeed)
      throws IOException {
    Set<String> expected = new HashSet<>();
    eventsBySeed.forEach((seed, events) -> {
      for (long i = 0; i < events; i++) {
        expected.add(SyntheticEvents.eventId(seed, i));
      }
    });
    List<Object[]> rows = reader.read(List.of("event_id"));
    Set<String> ids = new HashSet<>();
    rows.forEach(row -> ids.add((String) row[0]));
    assertEquals(expected.size(), rows.size(), "rows in the table (duplicates make it larger, loss smaller)");
    assertEquals(expected, ids);
    return rows.size();
  }

  /** The rows of the table now, 0 before it has a version. */
  static long rows(DeltaTableReader reader) {
    if (KillLoop.tableVersion(reader) < 0) {
      return 0;
    }
    try {
      return reader.read(List.of("event_id")).size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
