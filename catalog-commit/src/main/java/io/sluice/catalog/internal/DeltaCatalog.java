package io.sluice.catalog.internal;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.sluice.catalog.TableDefinition;
import java.util.Optional;

/**
 * What {@link CatalogTableCommitClient} needs of a table's catalog: the catalog decides where a
 * table lives, which {@link io.delta.kernel.commit.Committer} ratifies its versions, and how
 * ratified versions become published {@code _delta_log/<N>.json} files. The commit protocol
 * itself (txn check, Kernel transaction, outcome mapping, retries) is the client's and is the same
 * for every catalog.
 *
 * <p>Implementations are thread-safe.
 */
public interface DeltaCatalog extends AutoCloseable {

  /** How messages name this catalog, e.g. "Unity Catalog at https://uc:8080". */
  String description();

  /**
   * The table registered under {@code name}, or empty when the catalog does not know it. A
   * filesystem catalog knows every path; whether a table exists there shows when loading it.
   */
  Optional<CatalogTable> resolve(Engine engine, String name);

  /**
   * Why clients may not run maintenance other than checkpoints and checksums (compaction, vacuum,
   * log cleanup) on this catalog's tables; empty when they may. The Delta protocol prohibits it on
   * catalog-managed tables unless their catalog permits it.
   */
  Optional<String> maintenanceRefusal();

  /** Creates the table (version 0, no data) through the catalog and registers it. */
  CatalogTable create(Engine engine, String name, TableDefinition definition);

  /**
   * The latest snapshot, loaded through the catalog (ratified commits included), carrying the
   * committer that ratifies its next version; the committer reports its time to {@code timer}.
   */
  Snapshot loadLatest(Engine engine, CatalogTable table, CommitTimer timer)
      throws TableNotFoundException;

  /**
   * Publishes every ratified commit up to {@code snapshot}'s version as {@code _delta_log/<N>.json}
   * (in order) and tells the catalog; returns the published snapshot. A no-op where ratifying
   * already publishes (filesystem tables).
   */
  Snapshot publish(Engine engine, CatalogTable table, Snapshot snapshot);

  /**
   * Maintenance after a commit, on its {@code published} snapshot: checksums and, every {@code
   * logCheckpointInterval} versions, a log checkpoint, then the log cleanup where the catalog
   * allows it. Failures are logged, never thrown.
   */
  void maintain(
      Engine engine,
      CatalogTable table,
      TransactionCommitResult result,
      Snapshot published,
      int logCheckpointInterval);

  @Override
  void close();
}
