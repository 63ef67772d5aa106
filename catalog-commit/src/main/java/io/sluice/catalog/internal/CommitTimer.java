package io.sluice.catalog.internal;

import io.sluice.catalog.CommitLatency;
import java.time.Duration;

/**
 * Accumulates where one commit call spends its time; used by one thread at a time. The committer
 * and the catalog client report the catalog's share, the commit client the rest.
 */
public final class CommitTimer {
  private long kernelCommitNanos;
  private long catalogNanos;
  private long publishingNanos;

  /** Time inside Kernel's {@code Transaction.commit}, the catalog calls included. */
  void addKernelCommit(long nanos) {
    kernelCommitNanos += nanos;
  }

  /** Time the catalog took to ratify (or the put-if-absent publish of a filesystem table). */
  public void addCatalog(long nanos) {
    catalogNanos += nanos;
  }

  void addPublishing(long nanos) {
    publishingNanos += nanos;
  }

  CommitLatency latency(long totalNanos) {
    return new CommitLatency(
        Duration.ofNanos(Math.max(0, kernelCommitNanos - catalogNanos)),
        Duration.ofNanos(catalogNanos),
        Duration.ofNanos(publishingNanos),
        Duration.ofNanos(totalNanos));
  }
}
