package io.sluice.delta.internal;

import io.delta.kernel.expressions.Literal;
import io.delta.kernel.types.DataType;
import io.sluice.engine.UnrecoverableException;
import io.sluice.engine.row.FieldType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Partition values: Delta serialization (PROTOCOL.md "Partition Value Serialization"), Hive-style
 * directory escaping, and conversion back to Kernel literals at commit time.
 */
public final class PartitionValues {
  /** Directory value Delta (and Hive) use for a null partition value. */
  public static final String NULL_DIRECTORY_VALUE = "__HIVE_DEFAULT_PARTITION__";

  /**
   * ISO-8601 adjusted to UTC, the recommended timestamp form, with microseconds. {@code uuuu} is
   * the proleptic year ({@code yyyy}, the year of era, writes 1 BCE as "0001").
   */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * Years a DATE or TIMESTAMP partition value may have: the range of Delta's (Spark's) date and
   * timestamp types. Outside it Delta Kernel 4.4 cannot round-trip the value through the log: it
   * writes timestamp years without their era (year 0 as "0001") and parses dates with {@code
   * java.sql.Date.valueOf} (four-digit years only).
   */
  /** {@link io.sluice.delta.DeltaSinkConfig} refuses binary partition columns. */
  private static final String BINARY_PARTITION = "a BINARY column is never a partition column";
  private static final int MIN_YEAR = 1;
  private static final int MAX_YEAR = 9999;

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
          case TIMESTAMP -> TIMESTAMP.format(instantOfMicros((Long) value));
          case BINARY -> throw new IllegalArgumentException(BINARY_PARTITION);
        };
    // Delta reads an empty partition value as null: say so explicitly.
    return s.isEmpty() ? null : s;
  }

  /**
   * {@link #serialize}, after checking that the value is representable as a Delta partition value
   * and converts back to itself: called by the writer when a row opens a new partition, so that a
   * bad value fails the job before any checkpoint stores it.
   *
   * @throws UnrecoverableException naming the column and the value when it is not representable
   */
  public static String serializeChecked(
      String column, FieldType type, boolean nullable, Object value) {
    if (!nullable && "".equals(value)) {
      throw new UnrecoverableException(
          "partition column '"
              + column
              + "' is NOT NULL but a row has the empty string, which Delta stores (and reads) as a"
              + " null partition value");
    }
    if (value != null && (type == FieldType.DATE || type == FieldType.TIMESTAMP)) {
      int year =
          type == FieldType.DATE
              ? LocalDate.ofEpochDay((Integer) value).getYear()
              : instantOfMicros((Long) value).atOffset(ZoneOffset.UTC).getYear();
      if (year < MIN_YEAR || year > MAX_YEAR) {
        throw unrepresentable(
            column, type, value, "years " + MIN_YEAR + " to " + MAX_YEAR + " only", null);
      }
    }
    String serialized = serialize(type, value);
    Object back;
    try {
      back = toLiteral(type, Schemas.kernelType(type), serialized).getValue();
    } catch (RuntimeException e) {
      throw unrepresentable(column, type, value, e.toString(), e);
    }
    if (serialized != null && !Objects.equals(back, value)) {
      throw unrepresentable(column, type, value, "it reads back as " + back, null);
    }
    return serialized;
  }

  private static UnrecoverableException unrepresentable(
      String column, FieldType type, Object value, String reason, Throwable cause) {
    String shown =
        switch (type) {
          case DATE -> value + " (" + LocalDate.ofEpochDay((Integer) value) + ")";
          case TIMESTAMP -> value + " (" + instantOfMicros((Long) value) + ")";
          default -> "'" + value + "'";
        };
    return new UnrecoverableException(
        "partition column '"
            + column
            + "' ("
            + type
            + ") has the value "
            + shown
            + ", which cannot be stored as a Delta partition value: "
            + reason,
        cause);
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
      case TIMESTAMP -> Literal.ofTimestamp(microsOf(Instant.parse(serialized)));
      case BINARY -> throw new IllegalArgumentException(BINARY_PARTITION);
    };
  }

  /**
   * Microseconds since the epoch, exact over the whole range of a long ({@code
   * ChronoUnit.MICROS.between} overflows beyond about 292 years from the epoch: it goes through
   * nanoseconds).
   */
  static long microsOf(Instant instant) {
    long seconds = instant.getEpochSecond();
    long micros = instant.getNano() / 1000;
    if (seconds < 0 && micros > 0) {
      seconds++; // keeps seconds * 1e6 in range down to Long.MIN_VALUE micros
      micros -= 1_000_000L;
    }
    return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), micros);
  }

  static Instant instantOfMicros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }
}
