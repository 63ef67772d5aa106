package io.sluice.catalog;

import java.util.Objects;
import java.util.Optional;

/**
 * What a table records for one appId: the latest {@code txn} version it committed, and the lineage
 * that committed it. A lineage is one history of a writer (for a pipeline: everything since its
 * fresh start, carried through its checkpoints and savepoints); txn versions of two lineages of one
 * appId name different data.
 *
 * @param lineage empty when no commit of the appId recorded one (none yet, or a writer that
 *     predates lineages)
 */
public record AppTransaction(String appId, Optional<Long> version, Optional<String> lineage) {
  public AppTransaction {
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(lineage, "lineage");
  }

  /**
   * Refuses a writer of another lineage than the table's.
   *
   * @param table names the table in the error
   * @throws LineageMismatchException when the table records a lineage other than {@code
   *     committing}
   */
  public void checkLineage(String table, String committing) {
    if (lineage.isPresent() && !lineage.get().equals(committing)) {
      throw new LineageMismatchException(table, appId, lineage.get(), committing);
    }
  }
}
