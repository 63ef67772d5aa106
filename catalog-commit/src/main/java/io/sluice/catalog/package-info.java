/**
 * The commit protocol client the Delta sink commits through, built on Delta Kernel's {@link
 * io.delta.kernel.commit.Committer}.
 *
 * <p>{@link io.sluice.catalog.TableCommitClient} is the per-table entry point: open or create the
 * table ({@link io.sluice.catalog.TableDefinition}), read the latest {@code txn} version of an
 * appId, and commit data actions tagged with {@code txn(appId, version)}, getting an explicit
 * {@link io.sluice.catalog.CommitOutcome}. Every commit is a Kernel {@code Transaction}; the
 * {@code Committer} attached to the snapshot decides how a version is published.
 *
 * <h2>Filesystem tables (implemented)</h2>
 *
 * {@link io.sluice.catalog.TableCommitClients#fileSystem} attaches {@code PutIfAbsentCommitter}:
 * {@code _delta_log/<N>.json} is published with put-if-absent (hard link on local disks, Kernel's
 * LogStore elsewhere) and "already exists" becomes {@code CommitFailedException(retryable=true,
 * conflict=true)}, so Kernel rebases blind appends onto the winner. A log checkpoint is written
 * every {@code checkpointInterval} versions.
 *
 * <h2>Catalog-managed tables (plan: Unity Catalog)</h2>
 *
 * A {@code UnityCatalogTableCommitClient} will be a second subclass of {@code
 * internal.KernelTableCommitClient} built on {@code delta-kernel-unitycatalog}, created by a new
 * factory method such as {@code TableCommitClients.unityCatalog(ucClient, ucTableId, tablePath,
 * config)}. Callers keep using the same {@code TableCommitClient} interface and outcomes:
 *
 * <ul>
 *   <li>{@code loadLatestSnapshot}: {@code UCCatalogManagedClient.loadSnapshot(...)}, which asks
 *       the catalog for its ratified-but-unpublished commits, passes them as log data with {@code
 *       withMaxCatalogVersion}, and attaches {@code UCCatalogManagedCommitter};
 *   <li>{@code createTableBuilder}: {@code UCCatalogManagedClient.buildCreateTableTransaction(...)}
 *       (adds the {@code catalogManaged} feature and the required {@code io.unitycatalog.tableId}
 *       property, then finalizes the staging table in UC);
 *   <li>commits: unchanged; Kernel hands the finalized actions to {@code UCCatalogManagedCommitter},
 *       which writes a staged commit under {@code _delta_log/_staged_commits/} and asks UC to
 *       ratify version N. A version UC already ratified surfaces as a retryable conflict
 *       (rebased), an ambiguous RPC failure as {@code CommitStateUnknownException} (mapped to
 *       {@code StateUnknown}), so the outcome mapping stays the same;
 *   <li>post-commit maintenance: {@code Snapshot.publish(engine)} (backfill ratified commits to
 *       {@code _delta_log/<N>.json}) before {@code writeCheckpoint}, since Kernel refuses to
 *       checkpoint unpublished catalog commits.
 * </ul>
 */
package io.sluice.catalog;
