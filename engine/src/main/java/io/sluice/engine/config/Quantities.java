package io.sluice.engine.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text forms of numbers, durations and sizes. Parsing throws {@link IllegalArgumentException} with
 * a message saying what was expected, never wraps around, and never throws anything else.
 */
final class Quantities {
  private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?\\d+");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|KiB|MiB|GiB)?", Pattern.CASE_INSENSITIVE);
  /** Largest first, so that formatting picks the largest unit that shows a value exactly. */
  private static final List<Unit> DURATION_UNITS = List.of(
      new Unit("d", 86_400_000), new Unit("h", 3_600_000), new Unit("m", 60_000),
      new Unit("s", 1_000), new Unit("ms", 1));
  private static final List<Unit> SIZE_UNITS = List.of(
      new Unit("GB", 1L << 30), new Unit("MB", 1L << 20), new Unit("KB", 1L << 10),
      new Unit("B", 1));
  /** Sizes fit a long; durations fit a long of nanoseconds, as the engine's timers need. */
  private static final long MAX_SIZE_GB = Long.MAX_VALUE >> 30;
  private static final long MAX_DURATION_DAYS = Duration.ofNanos(Long.MAX_VALUE).toDays();

  private Quantities() {}

  static int parseInt(String text) {
    return (int) parseWholeNumber(text, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  static long parseLong(String text) {
    return parseWholeNumber(text, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  private static long parseWholeNumber(String text, long min, long max) {
    String trimmed = text.trim();
    if (!WHOLE_NUMBER.matcher(trimmed).matches()) {
      throw new IllegalArgumentException("expected a whole number, got '" + text + "'");
    }
    try {
      long value = Long.parseLong(trimmed);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException beyondLong) {
      // reported below, like any number out of range
    }
    throw new IllegalArgumentException(
        "expected a whole number from " + min + " to " + max + ", got '" + text + "'");
  }

  /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 7d}. */
  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a duration such as 500ms, 10s, 5m, 1h or 7d, got '" + text + "'");
    }
    try {
      long millis =
          Math.multiplyExact(Long.parseLong(m.group(1)), unit(DURATION_UNITS, m.group(2)));
      return Duration.ofNanos(Math.multiplyExact(millis, 1_000_000L));
    } catch (NumberFormatException | ArithmeticException tooLong) {
      throw new IllegalArgumentException(
          "expected a duration of at most " + MAX_DURATION_DAYS + "d, got '" + text + "'");
    }
  }

  /** The largest unit that shows the duration exactly: {@code 10s}, {@code 5m}, {@code 100ms}. */
  static String formatDuration(Duration duration) {
    if (duration.toNanosPart() % 1_000_000 != 0) {
      return duration.toString();
    }
    return largestExactUnit(duration.toMillis(), DURATION_UNITS);
  }

  /** Bytes, or {@code KB}, {@code MB}, {@code GB} in powers of 1024 (or KiB, MiB, GiB). */
  static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a size such as 128MB, 512KB or a number of bytes, got '" + text + "'");
    }
    String suffix = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT).replace("I", "");
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), unit(SIZE_UNITS, suffix));
    } catch (NumberFormatException | ArithmeticException tooLarge) {
      throw new IllegalArgumentException(
          "expected a size of at most " + MAX_SIZE_GB + "GB, got '" + text + "'");
    }
  }

  /** The largest unit that shows the size exactly: {@code 128MB}, {@code 1KB}, {@code 1000B}. */
  static String formatSize(long bytes) {
    return largestExactUnit(bytes, SIZE_UNITS);
  }

  private static long unit(List<Unit> units, String suffix) {
    return units.stream().filter(u -> u.suffix().equals(suffix)).findFirst().orElseThrow().size();
  }

  private static String largestExactUnit(long amount, List<Unit> units) {
    Unit smallest = units.get(units.size() - 1);
    for (Unit unit : units) {
      if (amount != 0 && amount % unit.size() == 0) {
        return amount / unit.size() + unit.suffix();
      }
    }
    return amount + smallest.suffix();
  }

  /** A unit of measure: its suffix and how many of the smallest unit it holds. */
  private record Unit(String suffix, long size) {}
}
