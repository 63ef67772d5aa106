package io.sluice.delta.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Data file naming: {@code <owner>-c<checkpoint>-s<subtask>-<uuid>.snappy.parquet}, where {@code
 * owner} is {@code <sanitized appId>_<12 hex chars of SHA-256(appId)>}.
 *
 * <p>The appId ({@code <pipelineId>/<table>}) is the stable identity of one sink writing one
 * table, so the owner prefix matches exactly this pipeline's files for this table: the hash tells
 * apart ids that sanitize alike ({@code a/b} and {@code a_b}) and ids that are prefixes of others.
 * {@code checkpoint} is the checkpoint the file belongs to (the writer's last prepared or restored
 * checkpoint + 1; 1 on a fresh start, as checkpoint ids start at 1), which lets {@code
 * discardUncommitted} find files written after the last completed checkpoint (ids greater than it).
 */
public final class DataFileNames {
  private static final String SUFFIX = ".snappy.parquet";
  private static final Pattern ANY_PIPELINE_FILE =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*_[0-9a-f]{12}-c\\d+-s\\d+-[0-9a-f]{32}\\.snappy\\.parquet");
  private static final int MAX_SANITIZED = 48;

  private final String owner;
  private final String ownerPrefix;

  public DataFileNames(String appId) {
    this.owner = ownerTag(appId);
    this.ownerPrefix = owner + "-c";
  }

  public String owner() {
    return owner;
  }

  public String newFileName(long checkpointId, int subtask) {
    return ownerPrefix + checkpointId + "-s" + subtask + "-" + uniqueSuffix();
  }

  /**
   * A name for a file written by compaction: owned by no pipeline, so no pipeline's orphan cleanup
   * deletes it; once compaction committed it, it is the table's like any other file.
   */
  public static String compactedFileName() {
    return "compacted-" + uniqueSuffix();
  }

  /** 32 random hex digits and the suffix. */
  private static String uniqueSuffix() {
    UUID u = UUID.randomUUID();
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits(u.getMostSignificantBits())
        + hex.toHexDigits(u.getLeastSignificantBits())
        + SUFFIX;
  }

  /** Whether {@code fileName} is named as a pipeline's data file, whichever pipeline's. */
  public static boolean isPipelineFileName(String fileName) {
    return ANY_PIPELINE_FILE.matcher(fileName).matches();
  }

  /** The checkpoint of one of this owner's data files, or empty when the name is not ours. */
  public OptionalLong checkpointOf(String fileName) {
    if (!fileName.startsWith(ownerPrefix) || !fileName.endsWith(SUFFIX)) {
      return OptionalLong.empty();
    }
    String rest = fileName.substring(ownerPrefix.length(), fileName.length() - SUFFIX.length());
    // rest = <checkpoint>-s<subtask>-<32 hex>
    int dashS = rest.indexOf("-s");
    int lastDash = rest.lastIndexOf('-');
    if (dashS <= 0 || lastDash <= dashS + 2 || rest.length() - lastDash - 1 != 32) {
      return OptionalLong.empty();
    }
    String checkpoint = rest.substring(0, dashS);
    String subtask = rest.substring(dashS + 2, lastDash);
    String uuid = rest.substring(lastDash + 1);
    if (!digits(checkpoint) || !digits(subtask) || !hex(uuid)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(checkpoint));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  static String ownerTag(String appId) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < appId.length() && sb.length() < MAX_SANITIZED; i++) {
      char c = appId.charAt(i);
      boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      sb.append(keep || (c == '-' && sb.length() > 0) ? c : '_');
    }
    if (sb.length() == 0 || !Character.isLetterOrDigit(sb.charAt(0))) {
      sb.insert(0, 'p'); // never a hidden file name ('_' or '.' prefix)
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(appId.getBytes(StandardCharsets.UTF_8));
      return sb + "_" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean digits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean hex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
