package io.sluice.engine.row;

import io.sluice.engine.state.Serializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Serializes rows of a schema, field by field: a presence byte, then the value in a fixed layout
 * per {@link FieldType} (strings as UTF-8 with an int length, binaries as their bytes with one). Rows used as keys in keyed state:
 * the bytes decide the key group, so this format never changes.
 */
public final class RowSerializer implements Serializer<Row> {
  private final FieldType[] types;

  public RowSerializer(Schema schema) {
    this.types = schema.fields().stream().map(Field::type).toArray(FieldType[]::new);
  }

  @Override
  public void serialize(Row row, DataOutput out) throws IOException {
    for (int i = 0; i < types.length; i++) {
      Object value = row.get(i);
      out.writeBoolean(value != null);
      if (value == null) {
        continue;
      }
      switch (types[i]) {
        case STRING -> {
          byte[] b = ((String) value).getBytes(StandardCharsets.UTF_8);
          out.writeInt(b.length);
          out.write(b);
        }
        case INT, DATE -> out.writeInt((Integer) value);
        case LONG, TIMESTAMP -> out.writeLong((Long) value);
        case FLOAT -> out.writeFloat((Float) value);
        case DOUBLE -> out.writeDouble((Double) value);
        case BOOLEAN -> out.writeBoolean((Boolean) value);
        case BINARY -> {
          byte[] b = (byte[]) value;
          out.writeInt(b.length);
          out.write(b);
        }
      }
    }
  }

  @Override
  public Row deserialize(DataInput in) throws IOException {
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      if (!in.readBoolean()) {
        continue;
      }
      values[i] =
          switch (types[i]) {
            case STRING -> new String(readBytes(in), StandardCharsets.UTF_8);
            case BINARY -> readBytes(in);
            case INT, DATE -> in.readInt();
            case LONG, TIMESTAMP -> in.readLong();
            case FLOAT -> in.readFloat();
            case DOUBLE -> in.readDouble();
            case BOOLEAN -> in.readBoolean();
          };
    }
    return new Row(values);
  }

  private static byte[] readBytes(DataInput in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }

  @Override
  public Row copy(Row row) {
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      values[i] = row.get(i);
    }
    return new Row(values);
  }
}
