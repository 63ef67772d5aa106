package io.sluice.catalog.internal;

import io.delta.kernel.commit.CommitFailedException;
import io.delta.kernel.exceptions.CommitStateUnknownException;
import io.delta.kernel.exceptions.ConcurrentTransactionException;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.KernelEngineException;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.MaxCommitRetryLimitReachedException;
import io.sluice.catalog.CommitOutcome;
import io.sluice.catalog.TableCommitException;
import java.io.UncheckedIOException;

/**
 * The table from a failure of Kernel's {@code Transaction.commit} to a {@link CommitOutcome}.
 * Nothing is published by a definitive failure, so it is thrown as a {@link TableCommitException};
 * a failure that may have published is {@link CommitOutcome.StateUnknown}.
 */
final class KernelCommitFailures {
  private KernelCommitFailures() {}

  /**
   * The outcome of {@code failure}, which is not a {@link ConcurrentTransactionException} (that
   * one needs a reload to tell "already committed" from a conflict).
   *
   * @throws TableCommitException when nothing was published and retrying cannot help
   */
  static CommitOutcome outcomeOf(RuntimeException failure, String table, int maxConflictRebases) {
    TableCommitException definitive = findCause(failure, TableCommitException.class);
    if (definitive != null) {
      throw definitive; // e.g. the catalog refused the request
    }
    if (failure instanceof CommitStateUnknownException) {
      return new CommitOutcome.StateUnknown(failure);
    }
    if (failure instanceof MaxCommitRetryLimitReachedException) {
      CommitFailedException cfe = findCause(failure, CommitFailedException.class);
      if (cfe != null && cfe.isConflict()) {
        return new CommitOutcome.ConflictRetryable(
            "gave up rebasing after " + maxConflictRebases + " conflicts: " + failure.getMessage());
      }
      // Repeated transient failures while publishing: an attempt may have landed.
      return new CommitOutcome.StateUnknown(failure);
    }
    if (failure instanceof ConcurrentWriteException) {
      // Metadata/protocol changed, another logical conflict, or the winner of a catalog-managed
      // version is ratified but not yet published: rebuild from the latest state.
      return new CommitOutcome.ConflictRetryable(
          failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }
    if (failure instanceof KernelEngineException || failure instanceof UncheckedIOException) {
      return new CommitOutcome.StateUnknown(failure);
    }
    if (failure instanceof KernelException) {
      // Kernel validated the transaction and refused it before publishing.
      throw new TableCommitException("Delta commit to " + table + " was refused", failure);
    }
    CommitFailedException cfe = findCause(failure, CommitFailedException.class);
    if (cfe != null && !cfe.isRetryable()) {
      if (cfe.isConflict()) {
        return new CommitOutcome.ConflictRetryable(cfe.getMessage());
      }
      throw new TableCommitException(
          "Delta commit to " + table + " failed permanently: " + cfe.getMessage(), failure);
    }
    return new CommitOutcome.StateUnknown(failure);
  }

  static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
