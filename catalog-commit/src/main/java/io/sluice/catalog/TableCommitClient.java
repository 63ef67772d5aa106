package io.sluice.catalog;

import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import java.util.Optional;

/**
 * Commits to one Delta table. Every commit goes through a Delta Kernel {@code Transaction} whose
 * {@link io.delta.kernel.commit.Committer} decides how a version is published: put-if-absent of
 * {@code _delta_log/<N>.json} for filesystem tables ({@link TableCommitClients#fileSystem}), a
 * catalog ratification for catalog-managed tables (see the package documentation).
 *
 * <p>Idempotence rests on Delta transaction identifiers: every data commit carries {@code
 * txn(appId, version)} and is refused when the table already records a version {@code >=} it for
 * the appId.
 *
 * <p>Instances are thread-safe; each call reads the latest table state.
 */
public interface TableCommitClient extends AutoCloseable {

  /** The resolved, fully qualified table root (for example {@code file:/data/events}). */
  String tablePath();

  /** The Kernel engine this client reads and commits with (also usable to read the table). */
  Engine engine();

  /**
   * Opens the table, creating it (version 0, no data) from {@code definition} if it does not
   * exist. When it exists, verifies that its schema and partition columns match the definition.
   *
   * @throws TableDefinitionMismatchException if the existing table differs from the definition
   */
  OpenedTable openOrCreate(TableDefinition definition);

  /**
   * The latest snapshot of the table, loaded the way this client commits (for catalog-managed
   * tables: including ratified commits not yet published). Use it to read or scan the table.
   *
   * @throws TableCommitException if the table does not exist
   */
  Snapshot latestSnapshot();

  /** The latest {@code txn} version the table records for {@code appId}, if any. */
  Optional<Long> latestTransactionVersion(String appId);

  /**
   * Commits the actions produced by {@code actions} as one table version tagged with {@code
   * txn(appId, txnVersion)}. Concurrent blind appends are rebased by Kernel; see {@link
   * CommitOutcome} for the possible results. The table must exist ({@link #openOrCreate}).
   *
   * <p>Every {@link #checkpointInterval()} versions, a Delta log checkpoint is written after the
   * commit (best effort: a failed checkpoint does not fail the commit).
   *
   * @throws TableCommitException when the commit failed definitively (nothing was published)
   */
  CommitOutcome commit(String appId, long txnVersion, DataActionsProducer actions);

  /** Checkpoint interval in versions; 0 when checkpoints are disabled. */
  int checkpointInterval();

  @Override
  default void close() {}
}
