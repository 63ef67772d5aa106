package io.sluice.catalog.internal;

import io.delta.kernel.Snapshot;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.TableConfig;
import io.delta.kernel.internal.actions.SetTransaction;
import io.delta.kernel.internal.files.ParsedLogData;
import io.delta.kernel.internal.fs.Path;
import io.delta.kernel.internal.replay.ActionWrapper;
import io.delta.kernel.internal.replay.ActionsIterator;
import io.delta.kernel.internal.replay.LogReplay;
import io.delta.kernel.internal.snapshot.MetadataCleanup;
import io.delta.kernel.internal.tablefeatures.TableFeatures;
import io.delta.kernel.internal.util.FileNames;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kernel internals the catalog clients read, in one place: {@code Snapshot}'s public interface
 * hands out internal types, and a Kernel upgrade that changes them breaks here only.
 */
final class KernelInternals {
  private KernelInternals() {}

  /** Whether the table has the {@code catalogManaged} reader-writer feature. */
  static boolean isCatalogManaged(Snapshot snapshot) {
    return TableFeatures.isCatalogManagedSupported(snapshot.getProtocol());
  }

  /** Whether the table has the {@code domainMetadata} writer feature. */
  static boolean supportsDomainMetadata(Snapshot snapshot) {
    return TableFeatures.isDomainMetadataSupported(snapshot.getProtocol());
  }

  /** The versions of the snapshot's commits the catalog ratified and still tracks. */
  static List<Long> catalogCommitVersions(Snapshot snapshot) {
    return snapshot.getLogSegment().getAllCatalogCommits().stream()
        .map(ParsedLogData::getVersion)
        .toList();
  }

  /** Whether the snapshot holds commits the catalog ratified and still tracks. */
  static boolean hasCatalogCommits(Snapshot snapshot) {
    return !snapshot.getLogSegment().getAllCatalogCommits().isEmpty();
  }

  /**
   * Whether Delta's metadata cleanup may run: {@code delta.enableExpiredLogCleanup} is not false
   * and the table does not protect its checkpoints (the {@code checkpointProtection} feature), as
   * Kernel's own checkpointer decides.
   */
  static boolean logCleanupEnabled(Snapshot snapshot) {
    return TableConfig.EXPIRED_LOG_CLEANUP_ENABLED.fromMetadata(snapshot.getMetadata())
        && !snapshot.getProtocol().getWriterFeatures()
            .contains(TableFeatures.CHECKPOINT_PROTECTION_W_FEATURE.featureName());
  }

  /** The table's {@code delta.logRetentionDuration} (30 days unless set). */
  static long logRetentionMillis(Snapshot snapshot) {
    return TableConfig.LOG_RETENTION.fromMetadata(snapshot.getMetadata());
  }

  /**
   * Kernel's metadata cleanup: deletes the commits and checkpoints older than {@code retention}
   * that no newer version needs; returns how many.
   */
  static long deleteExpiredLogs(Engine engine, Snapshot snapshot, long retentionMillis)
      throws IOException {
    return MetadataCleanup.cleanupExpiredLogs(
        engine, System::currentTimeMillis, new Path(snapshot.getPath()), retentionMillis);
  }

  /** The table's {@code _delta_log} files from version 0 on, in name order. */
  static CloseableIterator<FileStatus> listLog(Engine engine, Snapshot snapshot)
      throws IOException {
    Path log = new Path(snapshot.getPath(), "_delta_log");
    return engine.getFileSystemClient().listFrom(FileNames.listingPrefix(log, 0));
  }

  static boolean isCommitOrCheckpoint(String path) {
    return FileNames.isCommitFile(path) || FileNames.isCheckpointFile(path);
  }

  static boolean isChecksum(String path) {
    return FileNames.isChecksumFile(path);
  }

  /** The version of a commit, checkpoint or checksum file of the log. */
  static long versionOf(String path) {
    return FileNames.getFileVersion(new Path(path));
  }

  /**
   * The latest {@code txn} version of every appId the snapshot records, replaying its log newest
   * first (as Kernel does for one appId).
   */
  static Map<String, Long> transactionVersions(Engine engine, Snapshot snapshot) {
    Map<String, Long> versions = new LinkedHashMap<>();
    try (CloseableIterator<ActionWrapper> actions =
        new ActionsIterator(
            engine,
            snapshot.getLogSegment().allLogFilesReversed(),
            LogReplay.SET_TRANSACTION_READ_SCHEMA,
            Optional.empty())) {
      while (actions.hasNext()) {
        ColumnVector txns = actions.next().getColumnarBatch().getColumnVector(0);
        for (int row = 0; row < txns.getSize(); row++) {
          SetTransaction txn = SetTransaction.fromColumnVector(txns, row);
          if (txn != null) {
            versions.putIfAbsent(txn.getAppId(), txn.getVersion());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the txn identifiers of " + snapshot.getPath(), e);
    }
    return versions;
  }
}
