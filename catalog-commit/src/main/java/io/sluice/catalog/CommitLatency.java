package io.sluice.catalog;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the time of one commit went.
 *
 * @param staging writing the commit's JSON (the staged file of a catalog-managed table, the
 *     temporary file of a filesystem table) and Kernel's work around it
 * @param catalog ratifying the version: the catalog's commit calls (resends included), or the
 *     put-if-absent publish of a filesystem table
 * @param publishing copying ratified commits to {@code _delta_log/<N>.json} and reporting the
 *     published version to the catalog (zero for filesystem tables)
 * @param total the whole commit call, including loading the table through its catalog
 */
public record CommitLatency(Duration staging, Duration catalog, Duration publishing, Duration total) {
  public CommitLatency {
    Objects.requireNonNull(staging, "staging");
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(publishing, "publishing");
    Objects.requireNonNull(total, "total");
  }

  @Override
  public String toString() {
    return String.format(
        "total %d ms (staging %d ms, catalog %d ms, publishing %d ms)",
        total.toMillis(), staging.toMillis(), catalog.toMillis(), publishing.toMillis());
  }
}
