package io.sluice.delta;

import io.sluice.catalog.LineageMismatchException;
import io.sluice.engine.UnrecoverableException;

/**
 * The table's latest commits of this pipeline were made by another lineage: the same pipeline id
 * run from another checkpoint directory (or started fresh after its checkpoints were lost). The
 * two histories' checkpoint ids name different data, so the job refuses to commit rather than skip
 * or duplicate rows.
 */
public final class LineageConflictException extends UnrecoverableException {
  public LineageConflictException(String pipelineId, LineageMismatchException cause) {
    super(
        cause.getMessage()
            + ". Another run of pipeline '"
            + pipelineId
            + "' (with another checkpoint directory, or started fresh) owns this table's commits of"
            + " it. Stop the other instance and run from the checkpoint directory of lineage "
            + cause.tableLineage()
            + " (every run logs its lineage when it starts), or start over under a new pipeline"
            + " id (which re-reads from the configured start position).",
        cause);
  }
}
