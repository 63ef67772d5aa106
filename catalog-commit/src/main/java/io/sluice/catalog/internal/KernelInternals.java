package io.sluice.catalog.internal;

import io.delta.kernel.Snapshot;
import io.delta.kernel.internal.files.ParsedLogData;
import io.delta.kernel.internal.tablefeatures.TableFeatures;
import java.util.List;

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
}
