package io.sluice.catalog;

import java.util.Objects;

/**
 * The explicit result of {@link TableCommitClient#commit}. Never a boolean: the four cases call for
 * different reactions from the caller.
 *
 * <ul>
 *   <li>{@link Committed}: this call published a new table version carrying the txn.
 *   <li>{@link AlreadyCommitted}: the table already records a txn version for the appId that is
 *       {@code >=} the requested one; nothing was written (the data is already there).
 *   <li>{@link ConflictRetryable}: a concurrent commit conflicted in a way Kernel could not rebase
 *       (or the rebase budget ran out); nothing was written, retrying is safe.
 *   <li>{@link StateUnknown}: the commit may or may not have landed (I/O failure around the
 *       publish). Re-check {@link TableCommitClient#latestTransactionVersion} before retrying.
 * </ul>
 */
public sealed interface CommitOutcome
    permits CommitOutcome.Committed,
        CommitOutcome.AlreadyCommitted,
        CommitOutcome.ConflictRetryable,
        CommitOutcome.StateUnknown {

  /** A new table version was published by this call, and where its time went. */
  record Committed(long tableVersion, CommitLatency latency) implements CommitOutcome {
    public Committed {
      Objects.requireNonNull(latency, "latency");
    }
  }

  /** The table's txn version for the appId was already {@code txnVersion >=} the requested one. */
  record AlreadyCommitted(long txnVersion) implements CommitOutcome {}

  /** Nothing was published because of a conflict; the commit may be retried as is. */
  record ConflictRetryable(String reason) implements CommitOutcome {
    public ConflictRetryable {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Unknown whether the commit was published: re-check the txn version before retrying. */
  record StateUnknown(Throwable cause) implements CommitOutcome {
    public StateUnknown {
      Objects.requireNonNull(cause, "cause");
    }
  }
}
