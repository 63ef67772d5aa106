package io.sluice.delta.internal;

import static io.delta.kernel.internal.util.Utils.toCloseableIterator;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.sluice.catalog.AppTransaction;
import io.sluice.catalog.CommitLatencies;
import io.sluice.catalog.CommitOutcome;
import io.sluice.catalog.DataActionsProducer;
import io.sluice.catalog.LineageMismatchException;
import io.sluice.catalog.OpenedTable;
import io.sluice.catalog.RetryPolicy;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitException;
import io.sluice.catalog.TableDefinition;
import io.sluice.delta.DataFileMetrics;
import io.sluice.delta.DeltaCommittable;
import io.sluice.delta.DeltaSinkConfig;
import io.sluice.delta.DeltaSinkOptions;
import io.sluice.delta.LineageConflictException;
import io.sluice.delta.TableAheadOfCheckpointException;
import io.sluice.delta.TableCommitClientFactory;
import io.sluice.engine.UnrecoverableException;
import io.sluice.engine.row.Field;
import io.sluice.engine.sink.CommitterContext;
import io.sluice.engine.sink.GlobalCommitter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each completed checkpoint's data files as one Delta commit tagged {@code txn(appId,
 * checkpointId)} and the job's lineage, through a {@link TableCommitClient}; opens (or creates) the
 * table on first use; at start, refuses a table another lineage or a newer checkpoint wrote and
 * removes this sink's orphan data files; wakes the sink's compaction after each commit.
 */
public final class DeltaGlobalCommitter implements GlobalCommitter<DeltaCommittable> {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaGlobalCommitter.class);

  private final DeltaSinkConfig config;
  private final TableCommitClient client;
  private final Configuration hadoopConf;
  private final DataFileNames names;
  private final StructType dataSchema;
  private final CommitLatencies latencies;
  private final CommitterContext context;
  private final Optional<AutoCompactor> compactor;
  private volatile boolean tableReady;

  /**
   * @param client the client commits go through
   * @param clients where the sink's compaction gets a client of its own
   * @param latencies where the latency of each commit this committer publishes is recorded
   * @param metrics where the compaction records what it rewrote
   * @param context the lineage every commit records and checks
   */
  public DeltaGlobalCommitter(
      DeltaSinkConfig config,
      TableCommitClient client,
      TableCommitClientFactory clients,
      Configuration hadoopConf,
      CommitLatencies latencies,
      DataFileMetrics metrics,
      CommitterContext context) {
    this.config = config;
    this.client = client;
    this.context = context;
    this.hadoopConf = hadoopConf;
    this.latencies = latencies;
    this.names = new DataFileNames(config.appId());
    this.dataSchema = Schemas.dataSchema(config.schema(), config.partitionColumns());
    this.compactor = AutoCompactor.start(config, client, clients, hadoopConf, metrics);
  }

  @Override
  public void commit(long checkpointId, List<DeltaCommittable> committables) throws Exception {
    ensureTable();
    String appId = config.appId();
    if (committables.isEmpty()) {
      LOG.debug("Checkpoint {} of {} has no data files: nothing to commit", checkpointId, appId);
      return;
    }
    List<DeltaCommittable> files = distinct(committables);
    long rows = files.stream().mapToLong(DeltaCommittable::numRecords).sum();
    DataActionsProducer actions = addActions(checkpointId, files);

    CommitOutcome outcome;
    try {
      outcome =
          client.commitWithRetries(
              appId,
              context.lineage(),
              checkpointId,
              actions,
              RetryPolicy.exponential(config.commitMaxAttempts(), config.commitRetryBackoff()));
    } catch (LineageMismatchException e) {
      throw new LineageConflictException(context.pipelineId(), e);
    }
    if (outcome instanceof CommitOutcome.Committed c) {
      latencies.record(c.tableVersion(), c.latency());
      compactor.ifPresent(AutoCompactor::committed);
      LOG.info(
          "Committed checkpoint {} of {} to {} as version {} ({} files, {} rows; {})",
          checkpointId, appId, client.tableName(), c.tableVersion(), files.size(), rows,
          c.latency());
    } else if (outcome instanceof CommitOutcome.AlreadyCommitted a) {
      LOG.info(
          "Checkpoint {} of {} is already in {} (txn version {}): skipping",
          checkpointId, appId, client.tableName(), a.txnVersion());
    } else {
      throw new TableCommitException(
          "could not commit checkpoint "
              + checkpointId
              + " of "
              + appId
              + " to "
              + client.tableName()
              + " after "
              + config.commitMaxAttempts()
              + " attempts",
          outcome instanceof CommitOutcome.StateUnknown u
              ? u.cause()
              : new IllegalStateException(
                  "conflict: " + ((CommitOutcome.ConflictRetryable) outcome).reason()));
    }
  }

  @Override
  public void discardUncommitted(long lastCompletedCheckpointId) throws Exception {
    ensureTable();
    // Before any cleanup: the files another lineage of this appId stages look like ours.
    AppTransaction recorded;
    try {
      recorded = client.claimLineage(config.appId(), context.lineage());
    } catch (LineageMismatchException e) {
      throw new LineageConflictException(context.pipelineId(), e);
    }
    Optional<Long> txn = recorded.version();
    if (txn.isPresent() && txn.get() > lastCompletedCheckpointId) {
      // Checkpoint ids at or below the txn would be skipped as already published although their
      // offset ranges differ from the published ones: that loses data. Refuse to start instead.
      throw new TableAheadOfCheckpointException(
          client.tableName()
              + " already holds commits of "
              + config.appId()
              + " up to checkpoint "
              + txn.get()
              + ", but the job "
              + (lastCompletedCheckpointId < 0
                  ? "found no checkpoint to restore"
                  : "restored the older checkpoint " + lastCompletedCheckpointId)
              + ". Restore the pipeline's checkpoint directory, or start over under a new"
              + " pipeline id (which re-reads from the configured start position).");
    }
    Path location = new Path(client.storageLocation());
    FileSystem fs = DeltaFileSystems.dataFileSystem(location, hadoopConf);
    Path root = fs.makeQualified(location);
    List<Path> orphans = new ArrayList<>();
    collectOrphans(fs, root, true, lastCompletedCheckpointId, orphans);
    for (Path orphan : orphans) {
      fs.delete(orphan, false);
    }
    if (!orphans.isEmpty()) {
      LOG.info(
          "Discarded {} uncommitted data files of {} written after checkpoint {}",
          orphans.size(), config.appId(), lastCompletedCheckpointId);
    }
  }

  @Override
  public void close() {
    compactor.ifPresent(AutoCompactor::close);
    client.close();
  }

  private void collectOrphans(
      FileSystem fs, Path dir, boolean isRoot, long last, List<Path> out)
      throws IOException {
    FileStatus[] entries;
    try {
      entries = fs.listStatus(dir);
    } catch (java.io.FileNotFoundException e) {
      return;
    }
    for (FileStatus entry : entries) {
      String name = entry.getPath().getName();
      if (entry.isDirectory()) {
        if (!(isRoot && name.equals("_delta_log"))) {
          collectOrphans(fs, entry.getPath(), false, last, out);
        }
        continue;
      }
      OptionalLong checkpoint = names.checkpointOf(name);
      if (checkpoint.isPresent() && checkpoint.getAsLong() > last) {
        out.add(entry.getPath());
      }
    }
  }

  private void ensureTable() {
    if (tableReady) {
      return;
    }
    synchronized (this) {
      if (!tableReady) {
        openTable(client, config);
        tableReady = true;
      }
    }
  }

  /**
   * Opens the sink's table through {@code client}, creating it from the sink's schema and
   * partition columns on first use unless the sink may not create it.
   *
   * @throws UnrecoverableException when the table does not exist and may not be created
   */
  public static OpenedTable openTable(TableCommitClient client, DeltaSinkConfig config) {
    TableDefinition definition =
        new TableDefinition(
            Schemas.tableSchema(config.schema()), config.partitionColumns(), config.tableProperties());
    if (config.createTable()) {
      return client.openOrCreate(definition);
    }
    return client
        .open(definition)
        .orElseThrow(
            () ->
                new UnrecoverableException(
                    "Delta table "
                        + client
                        + " does not exist, and the sink does not create tables ("
                        + DeltaSinkOptions.CREATE.key()
                        + ": false): create it first, or let the sink create it"));
  }

  /**
   * The producer of the commit's AddFile actions. It only computes (from the checkpointed
   * committables and the transaction state), so a failure would repeat on every retry and restart:
   * it is thrown as an {@link UnrecoverableException}, before anything is published.
   */
  private DataActionsProducer addActions(long checkpointId, List<DeltaCommittable> files) {
    return (engine, txnState) -> {
      try {
        return buildAddActions(engine, txnState, files);
      } catch (UnrecoverableException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new UnrecoverableException(
            "cannot build the Delta actions of checkpoint "
                + checkpointId
                + " of "
                + config.appId()
                + " from its data files: "
                + e,
            e);
      }
    };
  }

  private CloseableIterable<Row> buildAddActions(
      Engine engine, Row txnState, List<DeltaCommittable> files) throws IOException {
    String root = client.storageLocation();
    Map<Map<String, String>, List<DeltaCommittable>> byPartition = new LinkedHashMap<>();
    for (DeltaCommittable c : files) {
      byPartition.computeIfAbsent(c.partitionValues(), k -> new ArrayList<>()).add(c);
    }
    List<Row> actions = new ArrayList<>(files.size());
    for (Map.Entry<Map<String, String>, List<DeltaCommittable>> group : byPartition.entrySet()) {
      DataWriteContext context =
          Transaction.getWriteContext(engine, txnState, literals(group.getKey()));
      List<DataFileStatus> statuses = new ArrayList<>(group.getValue().size());
      for (DeltaCommittable c : group.getValue()) {
        statuses.add(DeltaLog.status(root, c, dataSchema));
      }
      try (CloseableIterator<Row> adds =
          Transaction.generateAppendActions(engine, txnState, toCloseableIterator(statuses.iterator()), context)) {
        while (adds.hasNext()) {
          actions.add(adds.next());
        }
      }
    }
    return CloseableIterable.inMemoryIterable(toCloseableIterator(actions.iterator()));
  }

  private Map<String, Literal> literals(Map<String, String> serialized) {
    Map<String, Literal> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : serialized.entrySet()) {
      Field field = config.schema().field(config.schema().indexOf(e.getKey()));
      try {
        out.put(
            e.getKey(),
            PartitionValues.toLiteral(
                field.type(), Schemas.kernelType(field.type()), e.getValue()));
      } catch (RuntimeException bad) {
        throw new UnrecoverableException(
            "partition column '"
                + e.getKey()
                + "' ("
                + field.type()
                + ") of a checkpointed data file has the value '"
                + e.getValue()
                + "', which is not a valid partition value",
            bad);
      }
    }
    return out;
  }

  private static List<DeltaCommittable> distinct(List<DeltaCommittable> committables) {
    Map<String, DeltaCommittable> byPath = new LinkedHashMap<>();
    for (DeltaCommittable c : committables) {
      byPath.putIfAbsent(c.relativePath(), c);
    }
    return new ArrayList<>(byPath.values());
  }
}
