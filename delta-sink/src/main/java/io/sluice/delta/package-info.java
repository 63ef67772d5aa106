/**
 * Exactly-once Delta Lake sink for Sluice rows.
 *
 * <p>{@link io.sluice.delta.DeltaSink} ({@link io.sluice.delta.DeltaSinkConfig}) implements the
 * engine's two-phase-commit sink contract:
 *
 * <ol>
 *   <li>Writers ({@code internal.DeltaSinkWriter}) stream rows into Snappy Parquet files written
 *       with parquet-hadoop and a row {@code WriteSupport}, directly under the table directory
 *       ({@code col=value/} Hive-escaped partition directories), one open file per partition
 *       value, rolled by size or row count, capped in number per writer. Per-file Delta statistics
 *       (numRecords, min/max, nullCount) are collected while writing.
 *   <li>At barrier N, open files are closed and described as {@link
 *       io.sluice.delta.DeltaCommittable}s, which the engine stores in checkpoint N.
 *   <li>Once N is complete, the global committer publishes all of N's files as one Delta commit
 *       carrying {@code txn(appId, N)} through {@code io.sluice.catalog.TableCommitClient},
 *       retrying conflicts and re-checking the txn version after an unknown outcome. Re-committing
 *       N after a restore publishes nothing twice.
 *   <li>At start, files of this appId written for checkpoints after the restored one and absent
 *       from the table are deleted.
 * </ol>
 *
 * <p>Data file names: {@code <sanitized appId>_<hash12>-c<checkpoint>-s<subtask>-<uuid>
 * .snappy.parquet}; the owner prefix identifies exactly this sink's files and {@code c} the
 * checkpoint the file belongs to (last prepared or restored checkpoint + 1).
 */
package io.sluice.delta;
