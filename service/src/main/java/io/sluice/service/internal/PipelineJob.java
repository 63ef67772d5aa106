package io.sluice.service.internal;

import io.sluice.delta.DeltaSink;
import io.sluice.delta.DeltaSinkConfig;
import io.sluice.engine.DataStream;
import io.sluice.engine.JobConfig;
import io.sluice.engine.StreamEnvironment;
import io.sluice.engine.row.Row;
import io.sluice.kafka.KafkaSource;
import io.sluice.service.config.PipelineConfig;
import java.nio.file.Path;

/** Turns a {@link PipelineConfig} into a runnable job: Kafka source, optional rebalance, Delta sink. */
public final class PipelineJob {
  private final StreamEnvironment environment;
  private final KafkaSource source;

  private PipelineJob(StreamEnvironment environment, KafkaSource source) {
    this.environment = environment;
    this.source = source;
  }

  /**
   * @param bootstrapServers the Kafka bootstrap servers to use (the configured ones, or the
   *     embedded broker's address)
   */
  public static PipelineJob create(PipelineConfig config, String bootstrapServers) {
    PipelineConfig.Source in = config.source();
    PipelineConfig.Sink out = config.sink();
    JobConfig job = JobConfig.builder(config.id(), config.checkpoint().directory().toAbsolutePath())
        .checkpointInterval(config.checkpoint().interval())
        .checkpointTimeout(config.checkpoint().timeout())
        .checkpointsRetained(config.checkpoint().retained())
        .restartAttempts(config.restart().attempts())
        .restartDelay(config.restart().delay())
        .build();

    KafkaSource.Builder source = KafkaSource.builder()
        .bootstrapServers(bootstrapServers)
        .topic(in.topic())
        .schema(config.schema())
        .startPosition(in.start())
        .bounded(in.bounded())
        .offsetResetPolicy(in.onMissingOffset())
        .properties(in.properties());
    in.groupId().ifPresent(source::groupId);
    KafkaSource kafka = source.build();

    String table = tableLocation(out.table());
    DeltaSinkConfig sink = DeltaSinkConfig.builder(table, config.schema(), appId(config))
        .partitionColumns(out.partitionBy())
        .targetFileSizeBytes(out.targetFileSizeBytes())
        .maxOpenFilesPerWriter(out.maxOpenFiles())
        .checkpointInterval(out.logCheckpointInterval())
        .hadoopConfiguration(out.hadoop())
        .build();

    StreamEnvironment env = new StreamEnvironment(job);
    DataStream<Row> records = env.fromSource(kafka, "kafka:" + in.topic(), in.parallelism());
    if (out.parallelism() != in.parallelism()) {
      records = records.rebalance(out.parallelism());
    }
    records.sinkTo(new DeltaSink(sink), "delta:" + table);
    return new PipelineJob(env, kafka);
  }

  /**
   * The Delta transaction id of this pipeline's commits: the pipeline id and the table's directory
   * name. It must never change for a table, since restores compare it with the table's txn.
   */
  public static String appId(PipelineConfig config) {
    String table = config.sink().table().replaceAll("/+$", "");
    return config.id() + "/" + table.substring(table.lastIndexOf('/') + 1);
  }

  public StreamEnvironment environment() {
    return environment;
  }

  public KafkaSource source() {
    return source;
  }

  private static String tableLocation(String table) {
    return table.contains("://") ? table : Path.of(table).toAbsolutePath().normalize().toString();
  }
}
