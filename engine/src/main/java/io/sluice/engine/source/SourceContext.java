package io.sluice.engine.source;

/** Where a reader runs: its subtask among the source's parallel instances, and the pipeline id. */
public record SourceContext(String pipelineId, int subtaskIndex, int parallelism) {}
