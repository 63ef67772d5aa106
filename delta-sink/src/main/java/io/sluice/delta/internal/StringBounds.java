package io.sluice.delta.internal;

/**
 * String statistics helpers. Delta and Parquet order strings by their UTF-8 bytes, which is code
 * point order; Java's {@link String#compareTo} orders UTF-16 units and differs for supplementary
 * characters versus U+E000..U+FFFF, so comparisons go through {@link #compare} (the writer's
 * statistics compare the UTF-8 bytes it writes directly).
 */
public final class StringBounds {
  /** Prefix length (code points) of string min/max statistics, as Delta Spark's default. */
  public static final int STATS_PREFIX_LENGTH = 32;

  private StringBounds() {}

  /** Compares in code point (= UTF-8 byte) order without allocating. */
  public static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return orderKey(x) - orderKey(y);
      }
    }
    return a.length() - b.length();
  }

  // Surrogates (code points >= U+10000) must sort after U+E000..U+FFFF.
  private static int orderKey(char c) {
    if (c < 0xD800) {
      return c;
    }
    return c >= 0xE000 ? c - 0x800 : c + 0x2000;
  }

  /** A lower bound of {@code s}: its first {@link #STATS_PREFIX_LENGTH} code points. */
  public static String truncateMin(String s) {
    int end = prefixEnd(s);
    return end == s.length() ? s : s.substring(0, end);
  }

  /**
   * An upper bound of every string that {@code s} bounds from above, at most {@link
   * #STATS_PREFIX_LENGTH} code points long: {@code s} itself when short enough, else its prefix
   * with the last code point incremented (dropping trailing U+10FFFF). Null when no such bound
   * exists, in which case the max statistic must be omitted.
   */
  public static String truncateMax(String s) {
    int end = prefixEnd(s);
    if (end == s.length()) {
      return s;
    }
    int[] cps = s.substring(0, end).codePoints().toArray();
    for (int i = cps.length - 1; i >= 0; i--) {
      int next = cps[i] + 1;
      if (next >= 0xD800 && next <= 0xDFFF) {
        next = 0xE000; // skip the surrogate range, which is not a code point of valid text
      }
      if (next <= Character.MAX_CODE_POINT) {
        return new String(cps, 0, i) + new String(Character.toChars(next));
      }
    }
    return null;
  }

  private static int prefixEnd(String s) {
    if (s.length() <= STATS_PREFIX_LENGTH) {
      return s.length();
    }
    try {
      return s.offsetByCodePoints(0, STATS_PREFIX_LENGTH);
    } catch (IndexOutOfBoundsException e) {
      return s.length(); // fewer code points than the limit (surrogate pairs)
    }
  }
}
