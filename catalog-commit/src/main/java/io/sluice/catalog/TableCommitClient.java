package io.sluice.catalog;

import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import io.sluice.catalog.internal.CommitRetryLoop;
import java.util.Map;
import java.util.Optional;

/**
 * Commits to one Delta table through its catalog. Every commit goes through a Delta Kernel {@code
 * Transaction} whose {@link io.delta.kernel.commit.Committer} the catalog chooses: put-if-absent of
 * {@code _delta_log/<N>.json} for filesystem tables ({@link TableCommitClients#fileSystem}), a
 * staged commit ratified by the catalog for catalog-managed tables ({@link
 * TableCommitClients#unityCatalog}).
 *
 * <p>Idempotence rests on Delta transaction identifiers: every data commit carries {@code
 * txn(appId, version)} and is refused when the table, read through its catalog, already records a
 * version {@code >=} it for the appId. Every data commit also records the writer's lineage for the
 * appId (domain metadata {@code sluice.lineage/<appId>}), and a commit from another lineage than
 * the table's latest is refused ({@link LineageMismatchException}): two histories of one appId
 * (for example one pipeline run from two checkpoint directories) would otherwise skip each other's
 * txn versions as already committed.
 *
 * <p>Instances are thread-safe; each call reads the latest table state.
 */
public interface TableCommitClient extends AutoCloseable {

  /** The table as the caller named it: a path or URI, or {@code catalog.schema.table}. */
  String tableName();

  /**
   * The table's root, a fully qualified URI (for example {@code file:/data/events}): where data
   * files go. For a catalog-managed table it is the location the catalog assigned.
   *
   * @throws TableCommitException if a catalog-managed table does not exist yet
   */
  String storageLocation();

  /** The Kernel engine this client reads and commits with (also usable to read the table). */
  Engine engine();

  /**
   * Opens the table, creating it (version 0, no data) from {@code definition} if it does not
   * exist; a catalog-managed table is created through its catalog. When it exists, verifies that
   * its schema and partition columns match the definition, and publishes commits its catalog
   * ratified but nobody published yet.
   *
   * @throws TableDefinitionMismatchException if the existing table differs from the definition
   */
  OpenedTable openOrCreate(TableDefinition definition);

  /**
   * Opens the table as {@link #openOrCreate} does, but never creates it.
   *
   * @return empty when the table does not exist (for a catalog-managed table: its catalog does
   *     not know the name)
   * @throws TableDefinitionMismatchException if the existing table differs from the definition
   */
  Optional<OpenedTable> open(TableDefinition definition);

  /**
   * The latest snapshot of the table, loaded through its catalog (for catalog-managed tables:
   * including ratified commits not yet published). Use it to read or scan the table.
   *
   * @throws TableCommitException if the table does not exist
   */
  Snapshot latestSnapshot();

  /** What the table, read through its catalog, records for {@code appId}. */
  AppTransaction transaction(String appId);

  /**
   * Makes {@code lineage} the appId's lineage in the table, unless it already is: when the table
   * records none yet, commits a table version holding only that record (one per appId, ever).
   * Claiming before writing anything closes the race of two lineages starting at once: exactly one
   * claim wins, and the other writer learns it before it touches the table.
   *
   * @return what the table records for the appId, with {@code lineage}
   * @throws LineageMismatchException when the table records another lineage for the appId
   */
  AppTransaction claimLineage(String appId, String lineage);

  /** The latest {@code txn} version the table, read through its catalog, records for {@code appId}. */
  default Optional<Long> latestTransactionVersion(String appId) {
    return transaction(appId).version();
  }

  /** The latest {@code txn} version of every appId the table records. */
  Map<String, Long> transactionVersions();

  /**
   * Why this client may not maintain the table beyond log checkpoints and checksums (compaction,
   * vacuum, log cleanup), or empty when it may. The Delta protocol prohibits such maintenance on
   * catalog-managed tables unless their catalog permits it; Unity Catalog cannot, so only
   * filesystem tables are maintained.
   */
  Optional<String> maintenanceRefusal();

  /**
   * One attempt to commit the actions produced by {@code actions} as one table version tagged with
   * {@code txn(appId, txnVersion)} and recording {@code lineage} for the appId. Concurrent blind
   * appends are rebased by Kernel; see {@link CommitOutcome} for the possible results. The table
   * must exist ({@link #openOrCreate}).
   *
   * <p>After the commit, ratified commits are published and, every {@link #checkpointInterval()}
   * versions, a Delta log checkpoint is written (best effort: a failure there does not fail the
   * commit, which already landed).
   *
   * @throws TableCommitException when the commit failed definitively (nothing was published); a
   *     {@link CatalogRequestRefusedException} when the catalog refused it, a {@link
   *     LineageMismatchException} when the table's latest commit of the appId is of another lineage
   */
  CommitOutcome commit(
      String appId, String lineage, long txnVersion, DataActionsProducer actions);

  /**
   * One attempt to commit a maintenance change that carries no txn, such as a compaction's files
   * removed and added with {@code dataChange=false}, on top of {@code basis}, the snapshot it was
   * planned on. The commits since {@code basis} are rebased over by Kernel unless one of them
   * removed a file this one removes (another compaction, also one that landed before this call),
   * which is a {@link CommitOutcome.ConflictRetryable}: re-plan against the latest table before
   * retrying. A {@link CommitOutcome.StateUnknown} is decided by the caller, by whether its files
   * are in the table. Publishing and log checkpoints follow as after {@link #commit}.
   *
   * @param basis a snapshot of this table from {@link #latestSnapshot()}
   * @throws TableCommitException when the commit failed definitively, or when the table may not
   *     be maintained ({@link #maintenanceRefusal})
   */
  CommitOutcome commitMaintenance(Snapshot basis, DataActionsProducer actions);

  /**
   * Commits {@code txn(appId, txnVersion)} of {@code lineage} exactly once: attempts {@link
   * #commit} until it is {@link CommitOutcome.Committed} or {@link CommitOutcome.AlreadyCommitted},
   * waiting between attempts as {@code policy} says. A {@link CommitOutcome.StateUnknown} is
   * decided by reloading the table through its catalog and reading the appId's {@link
   * #transaction}: if it reached {@code txnVersion} in this lineage, the commit landed and the
   * result is {@code AlreadyCommitted}.
   *
   * @return the final outcome: {@code Committed} or {@code AlreadyCommitted} on success, otherwise
   *     the last {@code ConflictRetryable} or {@code StateUnknown} once the attempts ran out
   * @throws TableCommitException when an attempt failed definitively (nothing was published)
   */
  default CommitOutcome commitWithRetries(
      String appId,
      String lineage,
      long txnVersion,
      DataActionsProducer actions,
      RetryPolicy policy)
      throws InterruptedException {
    return CommitRetryLoop.run(this, appId, lineage, txnVersion, actions, policy);
  }

  /** Log checkpoint interval in versions; 0 when checkpoints are disabled. */
  int checkpointInterval();

  @Override
  default void close() {}
}
