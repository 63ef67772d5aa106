package io.sluice.engine.sink;

import java.util.Objects;

/**
 * Where a {@link GlobalCommitter} runs.
 *
 * @param pipelineId the job's stable pipeline id
 * @param lineage the pipeline history the job continues: created at its fresh start, kept in
 *     every checkpoint and savepoint after it. Two instances of one pipeline id that run from
 *     different checkpoint directories have different lineages; a committer records its lineage
 *     with what it publishes and refuses to publish over another lineage's, since their checkpoint
 *     ids name different data.
 */
public record CommitterContext(String pipelineId, String lineage) {
  public CommitterContext {
    Objects.requireNonNull(pipelineId, "pipelineId");
    Objects.requireNonNull(lineage, "lineage");
  }
}
