package io.sluice.localkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SyntheticEventsTest {
  private static final Pattern EVENT = Pattern.compile("\\{\"event_id\":\"([0-9a-f-]{36})\","
      + "\"user_id\":(\\d+),\"event_type\":\"([a-z_]+)\",\"ts\":(\\d+),\"amount\":(\\d+\\.\\d\\d),"
      + "\"country\":\"([A-Z]{2})\",\"payload\":\"([^\"]{100})\"}");

  @Test
  void eventsAreDeterministicWellFormedJson() {
    Set<String> types = new HashSet<>();
    Set<String> countries = new HashSet<>();
    for (long i = 0; i < 20_000; i++) {
      String json = SyntheticEvents.eventJson(7, i, 1_700_000_000_000L);
      assertEquals(json, SyntheticEvents.eventJson(7, i, 1_700_000_000_000L));
      Matcher m = EVENT.matcher(json);
      assertTrue(m.matches(), json);
      assertEquals(SyntheticEvents.eventId(7, i), m.group(1));
      assertEquals(new UUID(7, i).toString(), m.group(1));
      assertEquals(SyntheticEvents.userId(7, i), Long.parseLong(m.group(2)));
      assertEquals(SyntheticEvents.eventType(7, i), m.group(3));
      assertEquals(SyntheticEvents.amountCents(7, i) / 100.0, Double.parseDouble(m.group(5)));
      assertEquals(SyntheticEvents.country(7, i), m.group(6));
      types.add(m.group(3));
      countries.add(m.group(6));
    }
    assertEquals(10, types.size());
    assertEquals(SyntheticEvents.COUNTRIES.size(), countries.size());
    assertNotEquals(SyntheticEvents.eventId(7, 1), SyntheticEvents.eventId(8, 1));
  }

  @Test
  void malformedEventsAreEveryNthSpoiledByTurns() {
    long ts = 1_700_000_000_000L;
    String id = SyntheticEvents.eventId(7, 99);
    String userId = String.valueOf(SyntheticEvents.userId(7, 99));
    assertTrue(SyntheticEvents.isMalformed(99, 100));
    assertFalse(SyntheticEvents.isMalformed(100, 100) || SyntheticEvents.isMalformed(5, 0));
    assertEquals("{\"event_id\":\"" + id + "\",\"user_id\":" + userId,
        SyntheticEvents.malformedJson(7, 99, ts, 100));
    String wrongType = SyntheticEvents.malformedJson(7, 199, ts, 100);
    assertEquals(SyntheticEvents.eventJson(7, 199, ts).replace(
        "\"user_id\":" + SyntheticEvents.userId(7, 199),
        "\"user_id\":\"user-" + SyntheticEvents.userId(7, 199) + "\""), wrongType);
    String missing = SyntheticEvents.malformedJson(7, 299, ts, 100);
    assertEquals(SyntheticEvents.eventJson(7, 299, ts).replace(
        "\"event_id\":\"" + SyntheticEvents.eventId(7, 299) + "\",", ""), missing);
    assertEquals(SyntheticEvents.Malformed.TRUNCATED, SyntheticEvents.Malformed.of(399, 100));
  }

  @Test
  void partitionsGetEqualShares() {
    int[] counts = new int[8];
    for (long i = 0; i < 800; i++) {
      counts[SyntheticEvents.partitionOf(i, 8)]++;
    }
    for (int c : counts) {
      assertEquals(100, c);
    }
  }
}
