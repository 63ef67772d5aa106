package io.sluice.engine.row;

import java.util.Arrays;

/**
 * A record of a {@link Schema}: one value (or null) per field, by position. See {@link FieldType}
 * for the Java type of each value. Rows are equal when their values are, byte arrays by content.
 */
public final class Row {
  private final Object[] values;

  public Row(Object... values) {
    this.values = values;
  }

  public int arity() {
    return values.length;
  }

  public Object get(int index) {
    return values[index];
  }

  public void set(int index, Object value) {
    values[index] = value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Row other && Arrays.deepEquals(values, other.values);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(values);
  }

  @Override
  public String toString() {
    return Arrays.deepToString(values);
  }
}
