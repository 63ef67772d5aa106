package io.sluice.catalog.internal;

import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delta's metadata cleanup after a log checkpoint: commit files and checkpoints older than the
 * table's {@code delta.logRetentionDuration} (30 days unless set) that no version within it needs
 * are deleted, so the log is bounded by the live table and the retention window, not by the
 * commits ever made. Kernel's cleanup does the deciding (it keeps the last checkpoint before the
 * cutoff and every commit after it); it leaves version checksums ({@code <N>.crc}) alone, so those
 * of versions older than the oldest commit or checkpoint left are deleted here.
 */
final class LogCleanup {
  private static final Logger LOG = LoggerFactory.getLogger(LogCleanup.class);

  private LogCleanup() {}

  /** Cleans the log of the table of {@code checkpointed}, the snapshot just checkpointed. */
  static void afterCheckpoint(Engine engine, String table, Snapshot checkpointed) {
    if (!KernelInternals.logCleanupEnabled(checkpointed)) {
      return;
    }
    long retention = KernelInternals.logRetentionMillis(checkpointed);
    try {
      long deleted = KernelInternals.deleteExpiredLogs(engine, checkpointed, retention);
      deleted += deleteOrphanChecksums(engine, checkpointed);
      if (deleted > 0) {
        LOG.info(
            "Deleted {} Delta log files of {} older than its log retention of {} ms",
            deleted, table, retention);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Log cleanup of {} failed (the next checkpoint retries): {}", table, e.toString());
    }
  }

  /**
   * Deletes the checksums of the versions older than the oldest commit or checkpoint left: those
   * versions can no longer be read. The log lists in name order, so they come first; a version's
   * checksum sorts before its commit ({@code N.crc < N.json}) and is kept.
   */
  private static long deleteOrphanChecksums(Engine engine, Snapshot snapshot) throws IOException {
    List<String> checksums = new ArrayList<>();
    long oldest = -1;
    try (CloseableIterator<FileStatus> files = KernelInternals.listLog(engine, snapshot)) {
      while (files.hasNext() && oldest < 0) {
        String path = files.next().getPath();
        if (KernelInternals.isCommitOrCheckpoint(path)) {
          oldest = KernelInternals.versionOf(path);
        } else if (KernelInternals.isChecksum(path)) {
          checksums.add(path);
        }
      }
    }
    long deleted = 0;
    for (String checksum : checksums) {
      if (KernelInternals.versionOf(checksum) >= oldest) {
        break; // sorted: this and the rest are of versions still in the log (or none was found)
      }
      if (engine.getFileSystemClient().delete(checksum)) {
        deleted++;
      }
    }
    return deleted;
  }
}
