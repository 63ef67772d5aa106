/**
 * The exactly-once commit client the Delta sink commits through, built on Delta Kernel's {@link
 * io.delta.kernel.commit.Committer}.
 *
 * <p>{@link io.sluice.catalog.TableCommitClient} is the per-table entry point: open or create the
 * table ({@link io.sluice.catalog.TableDefinition}), read the latest {@code txn} version of an
 * appId, and commit data actions tagged with {@code txn(appId, version)}, once ({@link
 * io.sluice.catalog.TableCommitClient#commit}, an explicit {@link io.sluice.catalog.CommitOutcome})
 * or until it is in the table ({@link io.sluice.catalog.TableCommitClient#commitWithRetries}, with
 * a {@link io.sluice.catalog.RetryPolicy}). Every commit is a Kernel {@code Transaction}; the
 * table's catalog chooses the {@code Committer} that ratifies it, and every ambiguous outcome is
 * decided by reloading the table through that catalog and reading the appId's txn version.
 *
 * <h2>Filesystem tables</h2>
 *
 * {@link io.sluice.catalog.TableCommitClients#fileSystem}: {@code _delta_log/<N>.json} is
 * published with put-if-absent (hard link on local disks, Kernel's LogStore elsewhere) and
 * "already exists" becomes {@code CommitFailedException(retryable=true, conflict=true)}, so Kernel
 * rebases blind appends onto the winner. A log checkpoint is written every {@code
 * checkpointInterval} versions.
 *
 * <h2>Unity Catalog tables</h2>
 *
 * {@link io.sluice.catalog.TableCommitClients#unityCatalog}: tables with the {@code
 * catalogManaged} feature, named {@code catalog.schema.table} and created through the catalog.
 * Commits are staged in {@code _delta_log/_staged_commits/}, ratified by the catalog, published to
 * {@code _delta_log/<N>.json} in order and reported; lost answers, 409, 429 and refusals are
 * handled as {@code docs/unity-catalog.md} describes.
 *
 * <h2>Inside ({@code internal})</h2>
 *
 * {@code CatalogTableCommitClient} (the protocol), {@code CommitRetryLoop} (the exactly-once
 * loop), {@code KernelCommitFailures} (Kernel exceptions to outcomes), the catalog SPI {@code
 * DeltaCatalog} with {@code FileSystemCatalog} and {@code UnityCatalog}, and {@code
 * ResendingUCClient}, which makes Kernel's UC committer resend, settle and publish like Spark's.
 */
package io.sluice.catalog;
