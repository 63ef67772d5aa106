package io.sluice.it;

import io.sluice.service.internal.SyntheticEventsPipeline;
import java.nio.file.Files;
import java.nio.file.Path;

/** Pipeline files of the synthetic events deduplicated by event id, for the stateful tests. */
final class DedupePipelines {
  private DedupePipelines() {}

  /**
   * Writes {@code dir/name}: pipeline {@code pipelineId} reading {@code topic}, deduplicating by
   * {@code event_id} within an hour, with its state in {@code backend} under {@code dir/state},
   * checkpoints every second in {@code dir/checkpoints}, into {@code dir/table}.
   */
  static Path write(Path dir, String name, String pipelineId, String bootstrap, String topic,
      int parallelism, String backend, boolean bounded, String sinkOptions) throws Exception {
    String sections = """
        transforms:
          - dedupe:
              key: [event_id]
              within: 1h
        state:
          backend: %s
          dir: %s
        """.formatted(backend, dir.resolve("state"));
    Path file = dir.resolve(name);
    Files.writeString(file, SyntheticEventsPipeline.yaml(pipelineId, bootstrap, topic, bounded,
        parallelism, dir.resolve("table").toString(), sinkOptions, "1s", dir.resolve("checkpoints"),
        sections));
    return file;
  }
}
