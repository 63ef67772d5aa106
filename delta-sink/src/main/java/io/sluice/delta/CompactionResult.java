package io.sluice.delta;

import java.util.OptionalLong;

/**
 * What a compaction did: the small files it removed, the files it added in their place (both with
 * {@code dataChange=false}), and the table version of its last commit.
 *
 * @param tableVersion the version of the last commit, empty when nothing was compacted
 */
public record CompactionResult(
    long filesRemoved,
    long bytesRemoved,
    long filesAdded,
    long bytesAdded,
    long rows,
    OptionalLong tableVersion) {

  public static final CompactionResult NOTHING =
      new CompactionResult(0, 0, 0, 0, 0, OptionalLong.empty());

  public boolean compacted() {
    return tableVersion.isPresent();
  }

  /** The results of this and of a later compaction together. */
  public CompactionResult then(CompactionResult later) {
    return new CompactionResult(
        filesRemoved + later.filesRemoved,
        bytesRemoved + later.bytesRemoved,
        filesAdded + later.filesAdded,
        bytesAdded + later.bytesAdded,
        rows + later.rows,
        later.compacted() ? later.tableVersion : tableVersion);
  }
}
