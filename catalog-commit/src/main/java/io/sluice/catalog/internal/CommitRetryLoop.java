package io.sluice.catalog.internal;

import io.sluice.catalog.AppTransaction;
import io.sluice.catalog.CommitOutcome;
import io.sluice.catalog.DataActionsProducer;
import io.sluice.catalog.RetryPolicy;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one exactly-once loop of {@link TableCommitClient#commitWithRetries}, the same for every
 * catalog: every ambiguous outcome is decided by reloading the table through its catalog and
 * reading the appId's txn version and lineage, which is correct at every crash or failure point
 * because a catalog ratifies each version at most once and a reload shows every ratified commit.
 */
public final class CommitRetryLoop {
  private static final Logger LOG = LoggerFactory.getLogger(CommitRetryLoop.class);

  private CommitRetryLoop() {}

  public static CommitOutcome run(
      TableCommitClient client,
      String appId,
      String lineage,
      long txnVersion,
      DataActionsProducer actions,
      RetryPolicy policy)
      throws InterruptedException {
    Duration backoff = policy.initialBackoff();
    for (int attempt = 1; ; attempt++) {
      CommitOutcome outcome;
      try {
        outcome = client.commit(appId, lineage, txnVersion, actions);
      } catch (TableCommitException e) {
        throw e; // definitive: retrying will not help
      } catch (RuntimeException e) {
        outcome = new CommitOutcome.StateUnknown(e); // e.g. reading the table failed
      }
      if (outcome instanceof CommitOutcome.Committed
          || outcome instanceof CommitOutcome.AlreadyCommitted) {
        if (attempt > 1) {
          LOG.info(
              "Commit of txn({}, {}) to {} succeeded at attempt {} of {}",
              appId, txnVersion, client, attempt, policy.maxAttempts());
        }
        return outcome;
      }
      String next =
          attempt < policy.maxAttempts()
              ? "retrying in " + backoff.toMillis() + " ms (attempt " + attempt + " of "
                  + policy.maxAttempts() + ")"
              : "giving up after " + attempt + " attempts";
      if (outcome instanceof CommitOutcome.StateUnknown u) {
        try {
          AppTransaction recorded = client.transaction(appId);
          recorded.checkLineage(client.toString(), lineage);
          Optional<Long> txn = recorded.version();
          if (txn.isPresent() && txn.get() >= txnVersion) {
            LOG.info(
                "Commit of txn({}, {}) to {} landed despite an error (txn version {})",
                appId, txnVersion, client, txn.get());
            return new CommitOutcome.AlreadyCommitted(txn.get());
          }
          LOG.warn(
              "Commit of txn({}, {}) to {} failed and did not land; {}: {}",
              appId, txnVersion, client, next, u.cause().toString());
        } catch (TableCommitException e) {
          throw e;
        } catch (RuntimeException unreachable) {
          LOG.warn(
              "Cannot reach {} to commit txn({}, {}); {}: {}",
              client, appId, txnVersion, next, unreachable.toString());
        }
      } else if (outcome instanceof CommitOutcome.ConflictRetryable r) {
        LOG.warn(
            "Commit of txn({}, {}) to {} conflicted; {}: {}",
            appId, txnVersion, client, next, r.reason());
      }
      if (attempt >= policy.maxAttempts()) {
        return outcome;
      }
      Thread.sleep(backoff.toMillis());
      backoff = policy.next(backoff);
    }
  }
}
