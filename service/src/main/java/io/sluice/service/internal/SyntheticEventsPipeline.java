package io.sluice.service.internal;

import java.nio.file.Path;

/**
 * Pipeline files for topics of {@code SyntheticEvents} (the demo and benchmark events), shared by
 * the benchmark and the end-to-end tests so the event schema is declared once.
 */
public final class SyntheticEventsPipeline {
  private SyntheticEventsPipeline() {}

  /**
   * @param table the sink's table: a path, or {@code catalog.schema.table} with a catalog in
   *     {@code sinkOptions}
   * @param sinkOptions extra lines of the {@code sink} section, e.g. {@code "partition-by: [country]"}
   * @param sections further top-level sections, e.g. {@code transforms} and {@code state}
   */
  public static String yaml(
      String pipelineId,
      String bootstrap,
      String topic,
      boolean bounded,
      int parallelism,
      String table,
      String sinkOptions,
      String checkpointInterval,
      Path checkpointDir,
      String sections) {
    return yaml(pipelineId, bootstrap, topic, bounded, parallelism, "", table, sinkOptions,
        checkpointInterval, checkpointDir, sections);
  }

  /**
   * As {@link #yaml(String, String, String, boolean, int, String, String, String, Path, String)},
   * with {@code sourceOptions}: extra lines of the {@code source} section, e.g. {@code "on-error:
   * dead-letter"}.
   */
  public static String yaml(
      String pipelineId,
      String bootstrap,
      String topic,
      boolean bounded,
      int parallelism,
      String sourceOptions,
      String table,
      String sinkOptions,
      String checkpointInterval,
      Path checkpointDir,
      String sections) {
    return """
        pipeline: %s
        source:
          bootstrap: %s
          topic: %s
          bounded: %s
          parallelism: %d
        %s
        schema:
          event_id: string not null
          user_id: long
          event_type: string
          ts: long
          amount: double
          country: string
          payload: string
        sink:
          table: %s
        %s
        checkpoint:
          interval: %s
          dir: %s
        restart:
          attempts: 0
        %s
        """.formatted(pipelineId, bootstrap, topic, bounded, parallelism, indented(sourceOptions),
            table, indented(sinkOptions), checkpointInterval, checkpointDir,
            sections.stripTrailing());
  }

  /** The lines of a section's extra fields, indented into it. */
  private static String indented(String fields) {
    return fields.lines().map(line -> "  " + line).reduce("", (a, b) -> a + b + "\n")
        .stripTrailing();
  }
}
