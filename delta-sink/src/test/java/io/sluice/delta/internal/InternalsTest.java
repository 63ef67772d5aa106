package io.sluice.delta.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.row.FieldType;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class InternalsTest {
  @Test
  void fileNamesIdentifyOwnerAndCheckpoint() {
    DataFileNames a = new DataFileNames("pipe/orders");
    String name = a.newFileName(17, 3);
    assertTrue(name.startsWith("pipe_orders_"), name);
    assertEquals(OptionalLong.of(17), a.checkpointOf(name));
    // Ids that sanitize alike, or are prefixes of ours, are other owners.
    assertEquals(OptionalLong.empty(), new DataFileNames("pipe_orders").checkpointOf(name));
    assertEquals(OptionalLong.empty(), new DataFileNames("pipe/order").checkpointOf(name));
    assertEquals(OptionalLong.empty(), a.checkpointOf("part-00000-abc.snappy.parquet"));
    assertEquals(OptionalLong.empty(), a.checkpointOf(name + ".crc"));
    assertNotEquals(a.newFileName(1, 0), a.newFileName(1, 0));
    assertTrue(new DataFileNames("/x").newFileName(0, 0).startsWith("p_x_"));
  }

  @Test
  void stringBoundsUseCodePointOrderAndStayBounds() {
    String supplementary = new String(Character.toChars(0x1F600));
    assertTrue(StringBounds.compare(supplementary, "\uFFFD") > 0);
    assertTrue("\uFFFD".compareTo(supplementary) > 0, "UTF-16 order differs");
    assertEquals("abc", StringBounds.truncateMin("abc"));
    String long40 = "b".repeat(40);
    assertEquals("b".repeat(32), StringBounds.truncateMin(long40));
    String upper = StringBounds.truncateMax(long40);
    assertEquals("b".repeat(31) + "c", upper);
    assertTrue(StringBounds.compare(upper, long40) > 0);
    String maxed = new String(Character.toChars(Character.MAX_CODE_POINT)).repeat(40);
    assertNull(StringBounds.truncateMax(maxed));
    String beforeSurrogates = "x".repeat(31) + "\uD7FF" + "tail";
    assertEquals("x".repeat(31) + "\uE000", StringBounds.truncateMax(beforeSurrogates));
  }

  @Test
  void partitionValuesSerializeAndEscapeLikeDelta() {
    assertEquals("a%2Fb%3Ac%25%3D", PartitionValues.escape("a/b:c%="));
    assertEquals("plain value", PartitionValues.escape("plain value"));
    assertEquals("x=__HIVE_DEFAULT_PARTITION__", PartitionValues.directory("x", null));
    assertNull(PartitionValues.serialize(FieldType.STRING, ""));
    assertEquals("2024-01-02", PartitionValues.serialize(FieldType.DATE, 19724));
    assertEquals(
        "2023-11-14T22:13:20.123456Z",
        PartitionValues.serialize(FieldType.TIMESTAMP, 1_700_000_000_123_456L));
    assertEquals(
        1_700_000_000_123_456L,
        PartitionValues.toLiteral(
                FieldType.TIMESTAMP,
                Schemas.kernelType(FieldType.TIMESTAMP),
                "2023-11-14T22:13:20.123456Z")
            .getValue());
  }

  @Test
  void timestampPartitionValuesAreExactOverTheWholeRange() {
    // 9999-12-31T00:00:00Z: ChronoUnit.MICROS.between overflows (it goes through nanoseconds).
    assertEquals(
        253_402_214_400_000_000L,
        PartitionValues.toLiteral(
                FieldType.TIMESTAMP,
                Schemas.kernelType(FieldType.TIMESTAMP),
                "9999-12-31T00:00:00.000000Z")
            .getValue());
    // Proleptic years: 1 BCE is year 0, 2 BCE is year -1 (yyyy would print "0001", "0002").
    assertEquals(
        "-0001-06-01T00:00:00.000000Z",
        PartitionValues.serialize(FieldType.TIMESTAMP, -62_185_708_800_000_000L));
    for (long micros : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, -1, -62_185_708_800_000_001L}) {
      String s = PartitionValues.serialize(FieldType.TIMESTAMP, micros);
      assertEquals(
          micros,
          PartitionValues.toLiteral(FieldType.TIMESTAMP, Schemas.kernelType(FieldType.TIMESTAMP), s)
              .getValue(),
          s);
    }
  }
}
