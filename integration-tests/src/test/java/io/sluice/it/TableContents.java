package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.localkafka.SyntheticEvents;
import io.sluice.testing.DeltaTableReader;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
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
    Set<String> expected = new HashSet<>();
    for (long seed : seeds) {
      for (long i = 0; i < events; i++) {
        expected.add(SyntheticEvents.eventId(seed, i));
      }
    }
    List<Object[]> rows = reader.read(List.of("event_id"));
    Set<String> ids = new HashSet<>();
    rows.forEach(row -> ids.add((String) row[0]));
    assertEquals(expected.size(), rows.size(), "rows in the table (duplicates make it larger, loss smaller)");
    assertEquals(expected, ids);
    return rows.size();
  }
}
