package io.sluice.kafka;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Objects;

/**
 * Where a reader starts in a partition that has no offset in the restored checkpoint.
 *
 * <p>It applies to a fresh start only. When a pipeline is restored, the checkpoint's offsets are
 * the truth; a partition missing from the checkpoint was created after it, so it is read from its
 * earliest offset (all of its records are newer than the checkpoint).
 */
public final class StartPosition {
  /** The kinds of start position. */
  public enum Kind {
    EARLIEST,
    LATEST,
    TIMESTAMP,
    OFFSETS
  }

  private static final StartPosition EARLIEST = new StartPosition(Kind.EARLIEST, -1, Map.of());
  private static final StartPosition LATEST = new StartPosition(Kind.LATEST, -1, Map.of());

  private final Kind kind;
  private final long timestampMillis;
  private final Map<Integer, Long> offsets;

  private StartPosition(Kind kind, long timestampMillis, Map<Integer, Long> offsets) {
    this.kind = kind;
    this.timestampMillis = timestampMillis;
    this.offsets = offsets;
  }

  /** The first record still in each partition. */
  public static StartPosition earliest() {
    return EARLIEST;
  }

  /** The end of each partition when the reader opens (for read_committed: the last stable offset). */
  public static StartPosition latest() {
    return LATEST;
  }

  /**
   * The first record whose timestamp is at or after {@code epochMillis}, in each partition; the
   * end of the partition when there is none.
   */
  public static StartPosition timestamp(long epochMillis) {
    if (epochMillis < 0) {
      throw new IllegalArgumentException("timestamp must not be negative: " + epochMillis);
    }
    return new StartPosition(Kind.TIMESTAMP, epochMillis, Map.of());
  }

  /**
   * Explicit next offsets by partition number; partitions not listed start at the earliest offset.
   * An offset no longer in the log fails the reader (it is never adjusted silently), unless an
   * {@link OffsetResetPolicy} other than {@link OffsetResetPolicy#FAIL} is set.
   */
  public static StartPosition offsets(Map<Integer, Long> offsetsByPartition) {
    for (Map.Entry<Integer, Long> e : offsetsByPartition.entrySet()) {
      if (e.getKey() < 0 || e.getValue() == null || e.getValue() < 0) {
        throw new IllegalArgumentException("bad start offset " + e);
      }
    }
    return new StartPosition(Kind.OFFSETS, -1, Map.copyOf(offsetsByPartition));
  }

  /**
   * An ISO-8601 instant ({@code 2026-01-31T00:00:00Z}, {@code 2026-01-31T01:00:00+01:00}) or
   * epoch milliseconds, as epoch milliseconds.
   *
   * @throws IllegalArgumentException for anything else, or an instant before 1970
   */
  public static long epochMillis(String text) {
    String trimmed = text.trim();
    try {
      long millis = !trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit)
          ? Long.parseLong(trimmed)
          : OffsetDateTime.parse(trimmed).toInstant().toEpochMilli();
      if (millis < 0) {
        throw new IllegalArgumentException("before 1970");
      }
      return millis;
    } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
      throw new IllegalArgumentException("expected an ISO-8601 instant (2026-01-31T00:00:00Z) "
          + "or epoch milliseconds, got '" + text + "'", e);
    }
  }

  public Kind kind() {
    return kind;
  }

  /** The timestamp of a {@link Kind#TIMESTAMP} position. */
  public long timestampMillis() {
    return timestampMillis;
  }

  /** The offsets of an {@link Kind#OFFSETS} position. */
  public Map<Integer, Long> offsets() {
    return offsets;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StartPosition other && kind == other.kind
        && timestampMillis == other.timestampMillis && offsets.equals(other.offsets);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, timestampMillis, offsets);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case EARLIEST -> "earliest";
      case LATEST -> "latest";
      case TIMESTAMP -> "timestamp(" + timestampMillis + ")";
      case OFFSETS -> "offsets" + offsets;
    };
  }
}
