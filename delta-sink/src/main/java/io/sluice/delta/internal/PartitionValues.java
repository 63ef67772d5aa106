package io.sluice.delta.internal;

import io.delta.kernel.expressions.Literal;
import io.delta.kernel.types.DataType;
import io.sluice.engine.row.FieldType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Partition values: Delta serialization (PROTOCOL.md "Partition Value Serialization"), Hive-style
 * directory escaping, and conversion back to Kernel literals at commit time.
 */
public final class PartitionValues {
  /** Directory value Delta (and Hive) use for a null partition value. */
  public static final String NULL_DIRECTORY_VALUE = "__HIVE_DEFAULT_PARTITION__";

  /** ISO-8601 adjusted to UTC, the recommended timestamp form, with microseconds. */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private static final boolean[] ESCAPE = new boolean[128];

  static {
    for (int c = 0x01; c <= 0x1F; c++) {
      ESCAPE[c] = true;
    }
    for (char c : "\"#%'*/:=?\\{[]^".toCharArray()) {
      ESCAPE[c] = true;
    }
    ESCAPE[0x7F] = true;
  }

  private PartitionValues() {}

  /** Delta partition value string of a row value; null for null (and for the empty string). */
  public static String serialize(FieldType type, Object value) {
    if (value == null) {
      return null;
    }
    String s =
        switch (type) {
          case STRING -> (String) value;
          case INT, LONG, FLOAT, DOUBLE -> value.toString();
          case BOOLEAN -> ((Boolean) value) ? "true" : "false";
          case DATE -> LocalDate.ofEpochDay((Integer) value).toString();
          case TIMESTAMP -> TIMESTAMP.format(
              Instant.EPOCH.plus((Long) value, ChronoUnit.MICROS));
        };
    // Delta reads an empty partition value as null: say so explicitly.
    return s.isEmpty() ? null : s;
  }

  /** {@code column=value} directory name, Hive-escaped as Delta writers do. */
  public static String directory(String column, String serializedValue) {
    return escape(column)
        + "="
        + (serializedValue == null ? NULL_DIRECTORY_VALUE : escape(serializedValue));
  }

  static String escape(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 128 && ESCAPE[c]) {
        if (sb == null) {
          sb = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }

  /** Kernel literal of a serialized partition value. */
  public static Literal toLiteral(FieldType type, DataType kernelType, String serialized) {
    if (serialized == null) {
      return Literal.ofNull(kernelType);
    }
    return switch (type) {
      case STRING -> Literal.ofString(serialized);
      case INT -> Literal.ofInt(Integer.parseInt(serialized));
      case LONG -> Literal.ofLong(Long.parseLong(serialized));
      case FLOAT -> Literal.ofFloat(Float.parseFloat(serialized));
      case DOUBLE -> Literal.ofDouble(Double.parseDouble(serialized));
      case BOOLEAN -> Literal.ofBoolean(Boolean.parseBoolean(serialized));
      case DATE -> Literal.ofDate((int) LocalDate.parse(serialized).toEpochDay());
      case TIMESTAMP -> Literal.ofTimestamp(
          ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(serialized)));
    };
  }
}
