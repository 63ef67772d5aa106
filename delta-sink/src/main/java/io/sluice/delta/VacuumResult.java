package io.sluice.delta;

import java.time.Instant;
import java.util.List;

/**
 * What a vacuum deleted (or, in a dry run, would delete).
 *
 * @param cutoff files last modified before this and referenced by no version since are deleted
 * @param deleted the deleted files, relative to the table root
 * @param bytesDeleted their size
 * @param keptForPipelines unreferenced files kept because a pipeline may still commit them: named
 *     as its data files, of a checkpoint the table does not record as committed
 * @param dryRun whether nothing was deleted, only listed
 */
public record VacuumResult(
    Instant cutoff, List<String> deleted, long bytesDeleted, int keptForPipelines, boolean dryRun) {
  public VacuumResult {
    deleted = List.copyOf(deleted);
  }
}
