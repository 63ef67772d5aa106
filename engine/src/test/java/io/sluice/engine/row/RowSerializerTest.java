package io.sluice.engine.row;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowSerializerTest {
  private static final Schema EVERY_TYPE = new Schema(Arrays.stream(FieldType.values())
      .map(type -> new Field(type.name().toLowerCase(), type, true))
      .toList());

  @Test
  void everyTypeAndNullReadsBackAsWritten() throws Exception {
    Row full = new Row("é", 1, 2L, 3.5f, 4.25, true, 1_700_000_000_000_000L, 19_000,
        new byte[] {0, -1, 127});
    Row nulls = new Row(new Object[EVERY_TYPE.size()]);
    RowSerializer serializer = new RowSerializer(EVERY_TYPE);
    for (Row row : List.of(full, nulls)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      serializer.serialize(row, new DataOutputStream(bytes));
      Row back = serializer.deserialize(
          new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      assertEquals(row, back);
      assertEquals(row.hashCode(), back.hashCode());
    }
  }

  @Test
  void rowsWithBinaryValuesAreEqualByContent() {
    Row a = new Row("k", new byte[] {1, 2});
    assertEquals(a, new Row("k", new byte[] {1, 2}));
    assertEquals(a.hashCode(), new Row("k", new byte[] {1, 2}).hashCode());
    assertNotEquals(a, new Row("k", new byte[] {1, 3}));
    assertEquals("[k, [1, 2]]", a.toString());
  }
}
