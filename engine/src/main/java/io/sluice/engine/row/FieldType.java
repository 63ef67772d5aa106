package io.sluice.engine.row;

/**
 * Column types a {@link Row} can carry, with their Java representation.
 *
 * <p>Values are boxed Java objects so that rows stay independent of any file format: STRING is
 * {@link String}, INT {@link Integer}, LONG {@link Long}, FLOAT {@link Float}, DOUBLE {@link
 * Double}, BOOLEAN {@link Boolean}, TIMESTAMP a {@link Long} of microseconds since the epoch (UTC),
 * DATE an {@link Integer} of days since the epoch, BINARY a {@code byte[]} (never changed once in a
 * row).
 */
public enum FieldType {
  STRING,
  INT,
  LONG,
  FLOAT,
  DOUBLE,
  BOOLEAN,
  TIMESTAMP,
  DATE,
  BINARY
}
