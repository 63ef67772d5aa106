package io.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonRowDeserializerTest {
  private static final Schema ALL_TYPES = new Schema(List.of(
      new Field("s", FieldType.STRING, true),
      new Field("i", FieldType.INT, true),
      new Field("l", FieldType.LONG, true),
      new Field("f", FieldType.FLOAT, true),
      new Field("d", FieldType.DOUBLE, true),
      new Field("b", FieldType.BOOLEAN, true),
      new Field("ts", FieldType.TIMESTAMP, true),
      new Field("day", FieldType.DATE, true),
      new Field("raw", FieldType.BINARY, true)));

  private final JsonRowDeserializer json = new JsonRowDeserializer(ALL_TYPES);

  private Row read(String value) {
    return read(json, value);
  }

  private static Row read(JsonRowDeserializer deserializer, String value) {
    return deserializer.deserialize(null, value.getBytes(StandardCharsets.UTF_8), "events", 3,
        1234L, 0L);
  }

  private MalformedRecordException fails(String value) {
    return fails(json, value);
  }

  private static MalformedRecordException fails(JsonRowDeserializer deserializer, String value) {
    MalformedRecordException e = assertThrows(MalformedRecordException.class,
        () -> read(deserializer, value));
    assertTrue(e.getMessage().contains("topic 'events'"), e.getMessage());
    assertTrue(e.getMessage().contains("partition 3"), e.getMessage());
    assertTrue(e.getMessage().contains("offset 1234"), e.getMessage());
    assertEquals("events", e.topic());
    assertEquals(3, e.partition());
    assertEquals(1234L, e.offset());
    return e;
  }

  @Test
  void readsEveryTypeByName() {
    Row row = read("{\"day\":\"2024-02-29\",\"b\":true,\"s\":\"héllo \\\"x\\\"\",\"i\":-42,"
        + "\"l\":9007199254740993,\"f\":1.5,\"d\":-2.25e3,\"ts\":1700000000123,"
        + "\"raw\":\"AP8K\"}");
    assertEquals("héllo \"x\"", row.get(0));
    assertEquals(-42, row.get(1));
    assertEquals(9007199254740993L, row.get(2));
    assertEquals(1.5f, row.get(3));
    assertEquals(-2250.0, row.get(4));
    assertEquals(Boolean.TRUE, row.get(5));
    assertEquals(1700000000123000L, row.get(6));
    assertEquals((int) LocalDate.of(2024, 2, 29).toEpochDay(), row.get(7));
    assertArrayEquals(new byte[] {0, -1, 10}, (byte[]) row.get(8));
  }

  @Test
  void coercesCompatibleValues() {
    Row row = read("{\"s\":12.50,\"i\":7.0,\"l\":1e3,\"f\":3,\"d\":4,\"b\":false}");
    assertEquals("12.50", row.get(0), "a number's JSON text");
    assertEquals(7, row.get(1));
    assertEquals(1000L, row.get(2));
    assertEquals(3.0f, row.get(3));
    assertEquals(4.0, row.get(4));
    assertEquals(Boolean.FALSE, row.get(5));
    assertEquals("true", read("{\"s\":true}").get(0));
  }

  @Test
  void readsIsoTimestampsWithOffsetsAndFractionalMillis() {
    long expected = Instant.parse("2024-05-01T12:30:00.123456Z").getEpochSecond() * 1_000_000
        + 123_456;
    assertEquals(expected, read("{\"ts\":\"2024-05-01T12:30:00.123456Z\"}").get(6));
    assertEquals(expected, read("{\"ts\":\"2024-05-01T14:30:00.123456+02:00\"}").get(6));
    assertEquals(1_500L, read("{\"ts\":1.5}").get(6), "1.5 ms = 1500 µs");
    assertEquals(-1_000L, read("{\"ts\":-1}").get(6));
  }

  @Test
  void missingNullAndUnknownFields() {
    Row row = read("{\"s\":null,\"extra\":{\"nested\":[1,2,{\"x\":null}]},\"i\":1,\"more\":[]}");
    assertNull(row.get(0));
    assertEquals(1, row.get(1));
    for (int i = 2; i < 9; i++) {
      assertNull(row.get(i));
    }
    assertEquals(9, row.arity());
    assertEquals(new Row(new Object[9]), read("{}"));
  }

  @Test
  void requiredFieldsMustBePresentAndNotNull() {
    JsonRowDeserializer strict = new JsonRowDeserializer(new Schema(List.of(
        new Field("id", FieldType.STRING, false), new Field("n", FieldType.LONG, true))));
    assertEquals(new Row("a", null), read(strict, "{\"id\":\"a\"}"));
    MalformedRecordException missing = fails(strict, "{\"n\":1}");
    assertEquals("id", missing.field());
    assertTrue(missing.getMessage().contains("field 'id'"), missing.getMessage());
    assertTrue(missing.getMessage().contains("not nullable"), missing.getMessage());
    assertEquals("id", fails(strict, "{\"id\":null}").field());
  }

  @Test
  void rejectsWrongTypesNamingTheField() {
    MalformedRecordException e = fails("{\"l\":\"12\"}");
    assertEquals("l", e.field());
    assertTrue(e.getMessage().contains("field 'l'"), e.getMessage());
    assertTrue(e.getMessage().contains("expected an integral number (LONG), got a string"),
        e.getMessage());
    assertEquals("b", fails("{\"b\":1}").field());
    assertEquals("b", fails("{\"b\":\"true\"}").field());
    assertEquals("s", fails("{\"s\":{\"a\":1}}").field());
    assertEquals("s", fails("{\"s\":[\"a\"]}").field());
    assertEquals("d", fails("{\"d\":\"1.0\"}").field());
    assertEquals("day", fails("{\"day\":19000}").field());
    assertEquals("day", fails("{\"day\":\"2024-13-01\"}").field());
    assertEquals("day", fails("{\"day\":\"01/02/2024\"}").field());
    assertEquals("ts", fails("{\"ts\":\"2024-05-01T12:30:00\"}").field(), "no offset");
    assertEquals("ts", fails("{\"ts\":true}").field());
    assertEquals("raw", fails("{\"raw\":12}").field());
    MalformedRecordException notBase64 = fails("{\"raw\":\"%%\"}");
    assertEquals("raw", notBase64.field());
    assertTrue(notBase64.reason().startsWith("not a base64 string (BINARY): "), notBase64.reason());
  }

  @Test
  void rejectsOutOfRangeAndFractionalIntegers() {
    assertTrue(fails("{\"i\":2147483648}").getMessage().contains("out of range for INT"));
    assertEquals(Integer.MIN_VALUE, read("{\"i\":-2147483648}").get(1));
    assertTrue(fails("{\"i\":1.5}").getMessage().contains("not an integral number"));
    assertTrue(fails("{\"l\":9223372036854775808}").getMessage().contains("out of range for LONG"));
    assertTrue(fails("{\"l\":2.5}").getMessage().contains("not an integral number"));
    assertTrue(fails("{\"l\":1e30}").getMessage().contains("out of range for LONG"));
    assertTrue(fails("{\"f\":1e300}").getMessage().contains("out of range for FLOAT"));
    assertTrue(fails("{\"d\":1e400}").getMessage().contains("out of range for DOUBLE"));
    assertTrue(fails("{\"ts\":9223372036854775807}").getMessage().contains("out of range"));
  }

  @Test
  void rejectsInvalidJson() {
    MalformedRecordException bad = fails("{\"s\":\"a\",");
    assertTrue(bad.getMessage().contains("invalid JSON"), bad.getMessage());
    assertTrue(bad.getMessage().contains("at byte"), bad.getMessage());
    assertTrue(fails("not json").getMessage().contains("invalid JSON"));
    assertTrue(fails("[1,2]").getMessage().contains("expected a JSON object, got an array"));
    assertTrue(fails("\"x\"").getMessage().contains("expected a JSON object"));
    assertTrue(fails("").getMessage().contains("expected a JSON object, got end of input"));
    assertTrue(fails("{} {}").getMessage().contains("trailing"));
    assertEquals("i", fails("{\"i\":-}").field(), "a broken value names its field");
    assertTrue(fails("{\"i\":12x}").getMessage().contains("invalid JSON"));
    MalformedRecordException tombstone = assertThrows(MalformedRecordException.class,
        () -> json.deserialize(null, null, "events", 3, 1234L, 0L));
    assertTrue(tombstone.getMessage().contains("tombstone"));
    assertTrue(tombstone.getMessage().contains("offset 1234"));
  }
}
