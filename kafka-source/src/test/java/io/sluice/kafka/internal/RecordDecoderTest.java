package io.sluice.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import io.sluice.kafka.DeadLetters;
import io.sluice.kafka.JsonRowDeserializer;
import io.sluice.kafka.MalformedRecordException;
import io.sluice.kafka.MalformedRecordPolicy;
import io.sluice.kafka.RowsAndDeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The malformed-record policies, record by record, without a broker. */
class RecordDecoderTest {
  private static final Schema SCHEMA = new Schema(List.of(
      new Field("id", FieldType.STRING, false), new Field("n", FieldType.LONG, true)));
  private static final long TIMESTAMP = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private final SourceCounters counters = new SourceCounters();
  private final RowsAndDeadLetters out = new RowsAndDeadLetters();

  private RecordDecoder decoder(MalformedRecordPolicy policy) {
    return new RecordDecoder(new JsonRowDeserializer(SCHEMA), policy, "orders-eu", "reader",
        counters);
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, String key, String value,
      long timestamp) {
    byte[] v = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    byte[] k = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    return new ConsumerRecord<>("orders", 2, offset, timestamp, TimestampType.CREATE_TIME,
        k == null ? -1 : k.length, v == null ? -1 : v.length, k, v, new RecordHeaders(),
        Optional.empty());
  }

  /** A good record, then malformed ones of every kind, then a good one. */
  private void decodeAll(RecordDecoder decoder) {
    decoder.decode(record(10, "a", "{\"id\":\"a\",\"n\":1}", TIMESTAMP), out);
    decoder.decode(record(11, "b", "{\"id\":\"b\",\"n\":\"one\"}", TIMESTAMP), out);
    decoder.decode(record(12, null, "not json", TIMESTAMP), out);
    decoder.decode(record(13, "c", "{\"n\":3}", ConsumerRecord.NO_TIMESTAMP), out);
    decoder.decode(record(14, "d", null, TIMESTAMP), out);
    decoder.decode(record(15, "e", "{\"id\":\"e\"}", TIMESTAMP), out);
  }

  @Test
  void failThrowsNamingThePositionAndTheField() {
    RecordDecoder decoder = decoder(MalformedRecordPolicy.FAIL);
    decoder.decode(record(10, "a", "{\"id\":\"a\",\"n\":1}", TIMESTAMP), out);
    MalformedRecordException e = assertThrows(MalformedRecordException.class,
        () -> decoder.decode(record(11, "b", "{\"id\":\"b\",\"n\":\"one\"}", TIMESTAMP), out));
    assertEquals("Malformed record in topic 'orders' partition 2 offset 11, field 'n': expected an "
        + "integral number (LONG), got a string", e.getMessage());
    assertEquals(List.of(new Row("a", 1L)), out.rows);
    assertEquals(0, counters.recordsSkipped() + counters.recordsDeadLettered());
  }

  @Test
  void skipDropsAndCountsTheMalformedRecords() {
    decodeAll(decoder(MalformedRecordPolicy.SKIP));
    assertEquals(List.of(new Row("a", 1L), new Row("e", null)), out.rows);
    assertEquals(List.of(), out.deadLetters);
    assertEquals(4, counters.recordsSkipped());
    assertEquals(0, counters.recordsDeadLettered());
  }

  @Test
  void deadLetterEmitsTheRawRecordItsPositionErrorAndField() {
    long before = System.currentTimeMillis() * 1000;
    decodeAll(decoder(MalformedRecordPolicy.DEAD_LETTER));
    long after = System.currentTimeMillis() * 1000;

    assertEquals(List.of(new Row("a", 1L), new Row("e", null)), out.rows);
    assertEquals(4, counters.recordsDeadLettered());
    assertEquals(0, counters.recordsSkipped());
    List<Row> expected = List.of(
        deadLetter("b", "{\"id\":\"b\",\"n\":\"one\"}", 11, TIMESTAMP * 1000,
            "expected an integral number (LONG), got a string", "n"),
        deadLetter(null, "not json", 12, TIMESTAMP * 1000,
            "invalid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, "
                + "Object or token 'null', 'true' or 'false') at byte 0", null),
        deadLetter("c", "{\"n\":3}", 13, null,
            "missing or null, but the field is not nullable", "id"),
        deadLetter("d", null, 14, TIMESTAMP * 1000,
            "the record has no value (a tombstone), expected a JSON object", null));
    assertEquals(expected.size(), out.deadLetters.size());
    for (int i = 0; i < expected.size(); i++) {
      Row got = out.deadLetters.get(i);
      long deadLetteredAt = (Long) got.get(9);
      assertTrue(deadLetteredAt >= before && deadLetteredAt <= after, "dead-lettered now");
      got.set(9, null);
      assertEquals(expected.get(i), got);
    }
    assertEquals(DeadLetters.SCHEMA.size(), out.deadLetters.get(0).arity());
  }

  @Test
  void aDeadLetterKeepsTheValueBytesEvenWhenTheyAreNotText() {
    byte[] value = {(byte) 0xC3, 0x28, 0, (byte) 0xFF};
    ConsumerRecord<byte[], byte[]> binary = new ConsumerRecord<>("orders", 0, 7, null, value);
    decoder(MalformedRecordPolicy.DEAD_LETTER).decode(binary, out);
    Row deadLetter = out.deadLetters.get(0);
    assertArrayEquals(value, (byte[]) deadLetter.get(1));
    assertNull(deadLetter.get(0));
    assertNull(deadLetter.get(5), "no record timestamp");
  }

  private static Row deadLetter(String key, String value, long offset, Long timestampMicros,
      String error, String field) {
    return new Row(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8), "orders", 2, offset,
        timestampMicros, error, field, "orders-eu", null);
  }
}
