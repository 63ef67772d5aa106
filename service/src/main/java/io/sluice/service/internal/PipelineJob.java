package io.sluice.service.internal;

import io.sluice.catalog.CommitLatencies;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.UnityCatalogConfig;
import io.sluice.delta.DataFileMetrics;
import io.sluice.delta.DeltaSink;
import io.sluice.delta.DeltaSinkConfig;
import io.sluice.delta.TableCommitClientFactory;
import io.sluice.engine.DataStream;
import io.sluice.engine.JobConfig;
import io.sluice.engine.StreamEnvironment;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.RowSerializer;
import io.sluice.engine.row.Schema;
import io.sluice.kafka.DeadLetters;
import io.sluice.kafka.KafkaSource;
import io.sluice.service.config.PipelineConfig;
import io.sluice.service.config.Transform;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns a {@link PipelineConfig} into a runnable job: Kafka source, the transforms in order, a
 * rebalance when the sink's parallelism differs, Delta sink; with dead letters, the source's
 * {@link DeadLetters#OUTPUT} into a second Delta sink, chained to the source tasks, which commits
 * with the same checkpoints. Operator ids do not depend on paths: the source is {@code
 * kafka:<topic>}, a dedupe {@code dedupe:<key fields>}, the sinks {@link #SINK_ID} and {@link
 * #DEAD_LETTER_SINK_ID}.
 */
public final class PipelineJob {
  static final String SINK_ID = "delta-sink";
  static final String DEAD_LETTER_SINK_ID = "dead-letter-sink";

  private final StreamEnvironment environment;
  private final KafkaSource source;
  private final DeltaSink sink;
  private final TableCommitClientFactory tables;
  private final LongAdder duplicatesDropped;

  private PipelineJob(StreamEnvironment environment, KafkaSource source, DeltaSink sink,
      TableCommitClientFactory tables, LongAdder dropped) {
    this.environment = environment;
    this.source = source;
    this.sink = sink;
    this.tables = tables;
    this.duplicatesDropped = dropped;
  }

  /**
   * Who a job is to the engine and to the table.
   *
   * @param jobId the engine's pipeline id: recorded in its checkpoints, names its keyed state's
   *     working directories and its Kafka clients
   * @param appId the Delta txn appId of its commits, which also owns its data files' names
   * @param checkpointDirectory where its checkpoints go
   */
  public record Identity(String jobId, String appId, Path checkpointDirectory) {
    /** The pipeline's own: its id, {@link #appId(PipelineConfig)} and checkpoint directory. */
    public static Identity of(PipelineConfig config) {
      return new Identity(config.id(), PipelineJob.appId(config), config.checkpoint().directory());
    }

    /** The txn appId of its commits to the dead-letter table: {@code <job id>/dead-letters}. */
    public String deadLetterAppId() {
      return jobId + "/dead-letters";
    }
  }

  /**
   * A job whose sink reaches its table's catalog as configured (not an embedded catalog, which
   * {@link PipelineRun} starts first).
   *
   * @param bootstrapServers the Kafka bootstrap servers to use (the configured ones, or the
   *     embedded broker's address)
   */
  public static PipelineJob create(PipelineConfig config, String bootstrapServers) {
    return create(
        config, bootstrapServers, tableClients(config.sink().catalog()), RunOptions.NONE);
  }

  /**
   * The clients of a table whose catalog is reached as configured.
   *
   * @throws IllegalArgumentException for an embedded catalog: its server must run first
   */
  public static TableCommitClientFactory tableClients(PipelineConfig.Catalog catalog) {
    if (catalog instanceof PipelineConfig.Catalog.FileSystem) {
      return TableCommitClientFactory.fileSystem();
    }
    if (catalog instanceof PipelineConfig.Catalog.Unity unity) {
      return TableCommitClientFactory.unityCatalog(
          new UnityCatalogConfig(unity.uri(), unity.token()));
    }
    throw new IllegalArgumentException("start the embedded catalog server first: " + catalog);
  }

  /**
   * @param tables the clients of the sink's table, through its catalog
   * @param run how this run starts (from a savepoint) and what it may drop
   */
  public static PipelineJob create(
      PipelineConfig config,
      String bootstrapServers,
      TableCommitClientFactory tables,
      RunOptions run) {
    return create(config, Identity.of(config), source(config, bootstrapServers), tables, run);
  }

  /**
   * The pipeline's transforms and table, under another identity and reading from another source
   * (a backfill's).
   */
  static PipelineJob create(PipelineConfig config, Identity identity, KafkaSource kafka,
      TableCommitClientFactory tables, RunOptions run) {
    PipelineConfig.Sink out = config.sink();
    JobConfig job = JobConfig.builder(
            identity.jobId(), identity.checkpointDirectory().toAbsolutePath())
        .checkpointInterval(config.checkpoint().interval())
        .checkpointTimeout(config.checkpoint().timeout())
        .checkpointsRetained(config.checkpoint().retained())
        .restartAttempts(config.restart().attempts())
        .restartDelay(config.restart().delay())
        .maxParallelism(config.state().maxParallelism())
        .stateBackend(PipelineStateBackends.create(config))
        .restoreFrom(run.fromSavepoint())
        .allowNonRestoredState(run.allowNonRestoredState())
        .build();

    DeltaSink sink = new DeltaSink(
        tableConfig(config, out.table(), config.schema(), identity.appId())
            .createTable(out.create())
            .partitionColumns(out.partitionBy())
            .maxOpenFilesPerWriter(out.maxOpenFiles())
            .build(),
        tables);

    StreamEnvironment env = new StreamEnvironment(job);
    int parallelism = config.source().parallelism();
    DataStream<Row> read = env.fromSource(kafka, "kafka:" + kafka.topic(), parallelism);
    out.deadLetterTable().ifPresent(deadLetters -> read.sideOutput(DeadLetters.OUTPUT).sinkTo(
        new DeltaSink(
            tableConfig(config, deadLetters, DeadLetters.SCHEMA, identity.deadLetterAppId())
                .build(),
            tables),
        DEAD_LETTER_SINK_ID));
    DataStream<Row> records = read;
    LongAdder dropped = new LongAdder();
    for (Transform transform : config.transforms()) {
      records = apply((Transform.Dedupe) transform, records, config, dropped);
      parallelism = out.parallelism();
    }
    if (parallelism != out.parallelism()) {
      records = records.rebalance(out.parallelism());
    }
    records.sinkTo(sink, SINK_ID);
    return new PipelineJob(env, kafka, sink, tables, dropped);
  }

  /**
   * The pipeline's Kafka source.
   *
   * @param bootstrapServers the configured ones, or the embedded broker's address
   */
  public static KafkaSource source(PipelineConfig config, String bootstrapServers) {
    PipelineConfig.Source in = config.source();
    KafkaSource.Builder source = sourceBuilder(config, bootstrapServers)
        .startPosition(in.start())
        .bounded(in.bounded());
    in.groupId().ifPresent(source::groupId);
    return source.build();
  }

  /**
   * The pipeline's source as configured, except where it starts and ends and its consumer group,
   * which are left to the caller.
   */
  static KafkaSource.Builder sourceBuilder(PipelineConfig config, String bootstrapServers) {
    PipelineConfig.Source in = config.source();
    return KafkaSource.builder()
        .bootstrapServers(bootstrapServers)
        .topic(in.topic())
        .schema(config.schema())
        .offsetResetPolicy(in.onMissingOffset())
        .partitionDiscoveryInterval(in.partitionDiscoveryInterval())
        .malformedRecordPolicy(in.onError())
        .properties(in.properties());
  }

  /** Dedupe keyed by the key fields, at the sink's parallelism (so the sink chains to it). */
  private static DataStream<Row> apply(
      Transform.Dedupe dedupe, DataStream<Row> records, PipelineConfig config, LongAdder dropped) {
    Schema schema = config.schema();
    int[] fields = dedupe.key().stream().mapToInt(schema::indexOf).toArray();
    Schema keySchema =
        new Schema(Arrays.stream(fields).mapToObj(schema::field).toList());
    return records
        .keyBy(row -> keyOf(row, fields), new RowSerializer(keySchema), config.sink().parallelism())
        .process(() -> new Dedupe(dedupe.within(), dropped))
        .uid("dedupe:" + String.join(",", dedupe.key()));
  }

  private static Row keyOf(Row row, int[] fields) {
    Object[] key = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      key[i] = row.get(fields[i]);
    }
    return new Row(key);
  }

  /**
   * The Delta transaction id of this pipeline's commits: the pipeline id and the table's directory
   * name, or its name {@code catalog.schema.table} in a Unity Catalog. It must never change for a
   * table, since restores compare it with the table's txn.
   */
  public static String appId(PipelineConfig config) {
    String table = config.sink().table().replaceAll("/+$", "");
    return config.id() + "/" + (isFileSystem(config) ? table.substring(table.lastIndexOf('/') + 1) : table);
  }

  /** The txn appId of the dead-letter table's commits: {@code <pipeline>/dead-letters}. */
  public static String deadLetterAppId(PipelineConfig config) {
    return Identity.of(config).deadLetterAppId();
  }

  /**
   * A sink of {@code table} in the pipeline's catalog with the pipeline's file, commit and
   * maintenance settings: those of the table and of the dead-letter table alike.
   */
  private static DeltaSinkConfig.Builder tableConfig(
      PipelineConfig config, String table, Schema schema, String appId) {
    PipelineConfig.Sink out = config.sink();
    String location = isFileSystem(config) ? PipelineConfig.fileSystemLocation(table) : table;
    return DeltaSinkConfig.builder(location, schema, appId)
        .targetFileSizeBytes(out.targetFileSizeBytes())
        .checkpointInterval(out.logCheckpointInterval())
        .compaction(out.compaction())
        .hadoopConfiguration(out.hadoop())
        .tableProperties(out.tableProperties())
        .commitMaxAttempts(out.commitMaxAttempts())
        .commitRetryBackoff(out.commitRetryBackoff());
  }

  private static boolean isFileSystem(PipelineConfig config) {
    return config.sink().catalog() instanceof PipelineConfig.Catalog.FileSystem;
  }

  public StreamEnvironment environment() {
    return environment;
  }

  public KafkaSource source() {
    return source;
  }

  /** A client of the sink's table, to read what the job committed; the caller closes it. */
  public TableCommitClient tableClient() {
    return tables.create(sink.config());
  }

  /** The latencies of the commits published to the table so far. */
  public CommitLatencies commitLatencies() {
    return sink.commitLatencies();
  }

  /** The data files the sink's writers closed, and what the open-file cap did to them. */
  public DataFileMetrics dataFileMetrics() {
    return sink.dataFileMetrics();
  }

  /** Records the dedupe transforms dropped (replays after a restart count again). */
  public long duplicatesDropped() {
    return duplicatesDropped.sum();
  }
}
