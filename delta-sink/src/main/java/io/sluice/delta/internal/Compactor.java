package io.sluice.delta.internal;

import static io.delta.kernel.internal.util.Utils.toCloseableIterator;

import io.delta.kernel.Snapshot;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.sluice.catalog.CommitOutcome;
import io.sluice.catalog.DataActionsProducer;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitException;
import io.sluice.delta.CompactionResult;
import io.sluice.delta.DeltaCommittable;
import io.sluice.engine.row.Field;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction of a table: bins of small files ({@link CompactionPlanner}) are rewritten into files
 * of up to the target size, and one maintenance commit removes the files read and adds the
 * result, both with {@code dataChange=false}, so the rows stay the same and change readers see no
 * new data.
 *
 * <p>Safe next to appending writers: it only removes files it read; its commit is built on the
 * snapshot it planned on, and Kernel rebases it over the appends since (they remove nothing); when
 * a commit since removed one of its files first (another compaction, in this process or another:
 * Kernel's delete-delete conflict), the bins whose files are all still live are committed again,
 * and the other bins' output is deleted. Output that was never
 * committed (a crash) is an unreferenced file that {@code sluice vacuum} deletes.
 *
 * <p>A compactor that is told to stop ({@link #Compactor(TableCommitClient, Configuration, long,
 * long, BooleanSupplier)}) ends a round while it rewrites, deleting its output, but never within
 * its commit: the commit and the log maintenance after it (checksum, log checkpoint) run to their
 * end. Stop it that way, never by interrupting its thread: Kernel's writers publish what they
 * wrote when they fail, so an interrupted log checkpoint leaves a partial checkpoint readers take
 * for the table's state.
 */
public final class Compactor {
  private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
  private static final int COMMIT_ATTEMPTS = 5;

  private final TableCommitClient client;
  private final Configuration hadoopConf;
  private final long targetFileSize;
  private final long rowGroupSize;
  private final BooleanSupplier stopRequested;

  /** Chooses one round's bins among a table's live small files. */
  @FunctionalInterface
  interface Plan {
    List<CompactionPlanner.Bin> bins(List<CompactionPlanner.File> files);
  }

  public Compactor(
      TableCommitClient client, Configuration hadoopConf, long targetFileSize, long rowGroupSize) {
    this(client, hadoopConf, targetFileSize, rowGroupSize, () -> false);
  }

  /**
   * A compactor that ends its round, before the round commits, once {@code stopRequested} says
   * so: the round throws {@link CancellationException} and leaves no output behind.
   */
  Compactor(
      TableCommitClient client,
      Configuration hadoopConf,
      long targetFileSize,
      long rowGroupSize,
      BooleanSupplier stopRequested) {
    this.client = client;
    this.hadoopConf = hadoopConf;
    this.targetFileSize = targetFileSize;
    this.rowGroupSize = rowGroupSize;
    this.stopRequested = stopRequested;
  }

  /**
   * Compacts every small file (smaller than half the target size) of the partitions {@code
   * partitions} accepts, in commits of at most {@code maxBytesPerCommit} of small files.
   *
   * @throws TableCommitException when the table may not be compacted (its catalog, a column type
   *     Sluice does not write, column mapping) or a commit failed definitively
   */
  public CompactionResult compactAll(
      Predicate<Map<String, String>> partitions, long maxBytesPerCommit) throws IOException {
    long smallFile = Math.max(1, targetFileSize / 2);
    // Each round plans anew, and they end: a bin of two or more small files becomes at most one
    // small file (a rewrite rolls over only at the target size), so small files only get fewer.
    Plan plan = files -> CompactionPlanner.withinBudget(
        CompactionPlanner.all(files, targetFileSize, smallFile), maxBytesPerCommit);
    CompactionResult total = CompactionResult.NOTHING;
    for (CompactionResult round = round(plan, partitions);
        round.compacted();
        round = round(plan, partitions)) {
      total = total.then(round);
    }
    return total;
  }

  /**
   * Plans among the live files of the partitions {@code partitions} accepts (files with deletion
   * vectors aside), rewrites the bins and commits them.
   *
   * @throws TableCommitException when the table may not be compacted or the commit failed
   *     definitively
   * @throws CancellationException when told to stop before the round committed
   */
  CompactionResult round(Plan plan, Predicate<Map<String, String>> partitions)
      throws IOException {
    client.maintenanceRefusal().ifPresent(reason -> {
      throw new TableCommitException("cannot compact " + client + ": " + reason);
    });
    Snapshot snapshot = client.latestSnapshot();
    Layout layout = Layout.of(client, snapshot, hadoopConf);
    Map<String, DeltaLog.LiveFile> live = new LinkedHashMap<>();
    for (DeltaLog.LiveFile f : DeltaLog.liveFiles(client.engine(), snapshot)) {
      if (!f.hasDeletionVector() && partitions.test(f.partitionValues())) {
        live.put(f.path(), f);
      }
    }
    List<CompactionPlanner.Bin> bins = plan.bins(live.values().stream()
        .map(f -> new CompactionPlanner.File(f.path(), f.partitionValues(), f.size()))
        .toList());
    if (bins.isEmpty()) {
      return CompactionResult.NOTHING;
    }
    List<Rewrite> rewrites = new ArrayList<>();
    boolean committed = false;
    try {
      for (CompactionPlanner.Bin bin : bins) {
        rewrites.add(rewrite(bin.files().stream().map(f -> live.get(f.path())).toList(), layout));
      }
      stopIfRequested(); // the last moment: from here on, the round commits and maintains the log
      CompactionResult result = commit(snapshot, rewrites, layout);
      committed = true;
      return result;
    } finally {
      if (!committed) {
        rewrites.forEach(r -> r.deleteOutputs(layout));
      }
    }
  }

  /** Bins rewritten: the live files read and the files written from them. */
  private record Rewrite(List<DeltaLog.LiveFile> inputs, List<DeltaCommittable> outputs) {
    void deleteOutputs(Layout layout) {
      for (DeltaCommittable output : outputs) {
        try {
          layout.fs.delete(new Path(layout.root, output.relativePath()), false);
        } catch (IOException e) {
          LOG.debug("Could not delete uncommitted compaction output {}: {}", output, e.toString());
        }
      }
    }
  }

  private Rewrite rewrite(List<DeltaLog.LiveFile> bin, Layout layout) throws IOException {
    List<DeltaLog.LiveFile> inputs = new ArrayList<>(bin);
    inputs.sort(Comparator.comparingLong(f -> f.location().getModificationTime()));
    Map<String, String> partition = layout.partitionValues(inputs.get(0));
    List<DeltaCommittable> outputs = new ArrayList<>();
    OpenDataFile out = null;
    long rows = 0;
    try (CloseableIterator<FileReadResult> data =
        client.engine().getParquetHandler().readParquetFiles(
            toCloseableIterator(inputs.stream().map(DeltaLog.LiveFile::location).iterator()),
            layout.dataSchema,
            Optional.empty())) {
      while (data.hasNext()) {
        stopIfRequested();
        ColumnarBatch batch = data.next().getData();
        try (CloseableIterator<io.delta.kernel.data.Row> batchRows = batch.getRows()) {
          while (batchRows.hasNext()) {
            if (out == null) {
              out = layout.open(partition, rowGroupSize, hadoopConf);
            }
            out.write(layout.row(batchRows.next()));
            rows++;
            if (out.full(targetFileSize, 0)) {
              outputs.add(out.close(layout.dataSchema));
              out = null;
            }
          }
        }
      }
      if (out != null) {
        outputs.add(out.close(layout.dataSchema));
        out = null;
      }
      checkRowCount(inputs, rows);
    } catch (IOException | RuntimeException e) {
      if (out != null) {
        out.abort();
      }
      new Rewrite(inputs, outputs).deleteOutputs(layout);
      throw e;
    }
    return new Rewrite(inputs, outputs);
  }

  private void stopIfRequested() {
    if (stopRequested.getAsBoolean()) {
      throw new CancellationException("the compaction of " + client + " was told to stop");
    }
  }

  /** Compares the rows rewritten with the row counts of the inputs' statistics, where known. */
  private void checkRowCount(List<DeltaLog.LiveFile> inputs, long rewritten) {
    long expected = 0;
    for (DeltaLog.LiveFile f : inputs) {
      Optional<Long> rows = f.add().getStatsJson().flatMap(DataFileStatistics::getNumRecords);
      if (rows.isEmpty()) {
        return;
      }
      expected += rows.get();
    }
    if (expected != rewritten) {
      throw new IllegalStateException("compacting " + inputs.size() + " files of " + client
          + " read " + rewritten + " rows where their statistics count " + expected);
    }
  }

  /**
   * Commits the rewrites, each attempt on top of the snapshot whose live files it removes: the
   * one planned on, then the one the intact bins were found in.
   */
  private CompactionResult commit(Snapshot planned, List<Rewrite> rewrites, Layout layout)
      throws IOException {
    List<Rewrite> pending = new ArrayList<>(rewrites);
    Snapshot basis = planned;
    for (int attempt = 1; ; attempt++) {
      CommitOutcome outcome = client.commitMaintenance(basis, actions(pending, layout));
      if (outcome instanceof CommitOutcome.Committed c) {
        dropAllBut(rewrites, pending, layout);
        return result(pending, OptionalLong.of(c.tableVersion()));
      }
      Snapshot now = client.latestSnapshot();
      List<DeltaLog.LiveFile> liveNow = DeltaLog.liveFiles(client.engine(), now);
      Set<String> liveNames = new HashSet<>();
      Set<String> livePaths = new HashSet<>();
      for (DeltaLog.LiveFile f : liveNow) {
        livePaths.add(f.path());
        liveNames.add(fileName(f.path()));
      }
      if (outcome instanceof CommitOutcome.StateUnknown
          && pending.stream().flatMap(r -> r.outputs().stream())
              .allMatch(o -> liveNames.contains(o.fileName()))) {
        dropAllBut(rewrites, pending, layout);
        return result(pending, OptionalLong.of(now.getVersion())); // it landed
      }
      List<Rewrite> intact = pending.stream()
          .filter(r -> r.inputs().stream().allMatch(i -> livePaths.contains(i.path())))
          .toList();
      LOG.info(
          "Compaction commit to {} {} (attempt {} of {}); {} of {} bins still intact",
          client, describe(outcome), attempt, COMMIT_ATTEMPTS, intact.size(), pending.size());
      pending = new ArrayList<>(intact);
      basis = now;
      if (pending.isEmpty() || attempt >= COMMIT_ATTEMPTS) {
        dropAllBut(rewrites, List.of(), layout);
        return CompactionResult.NOTHING;
      }
    }
  }

  /** Deletes the outputs of the rewrites not kept. */
  private static void dropAllBut(List<Rewrite> all, List<Rewrite> kept, Layout layout) {
    all.stream().filter(r -> !kept.contains(r)).forEach(r -> r.deleteOutputs(layout));
  }

  private static String describe(CommitOutcome outcome) {
    if (outcome instanceof CommitOutcome.ConflictRetryable c) {
      return "conflicted: " + c.reason();
    }
    return "ended in an unknown state: " + ((CommitOutcome.StateUnknown) outcome).cause();
  }

  private static CompactionResult result(List<Rewrite> rewrites, OptionalLong version) {
    long filesRemoved = 0;
    long bytesRemoved = 0;
    long filesAdded = 0;
    long bytesAdded = 0;
    long rows = 0;
    for (Rewrite r : rewrites) {
      filesRemoved += r.inputs().size();
      bytesRemoved += r.inputs().stream().mapToLong(DeltaLog.LiveFile::size).sum();
      filesAdded += r.outputs().size();
      bytesAdded += r.outputs().stream().mapToLong(DeltaCommittable::sizeBytes).sum();
      rows += r.outputs().stream().mapToLong(DeltaCommittable::numRecords).sum();
    }
    return new CompactionResult(filesRemoved, bytesRemoved, filesAdded, bytesAdded, rows, version);
  }

  private DataActionsProducer actions(List<Rewrite> rewrites, Layout layout) {
    String root = client.storageLocation();
    return (engine, txnState) -> {
      long now = System.currentTimeMillis();
      List<io.delta.kernel.data.Row> actions = new ArrayList<>();
      for (Rewrite r : rewrites) {
        for (DeltaLog.LiveFile input : r.inputs()) {
          actions.add(DeltaLog.rearrangingRemove(input, now));
        }
        for (DeltaCommittable output : r.outputs()) {
          actions.add(DeltaLog.rearrangingAdd(
              txnState, DeltaLog.status(root, output, layout.dataSchema), r.inputs().get(0)));
        }
      }
      return CloseableIterable.inMemoryIterable(toCloseableIterator(actions.iterator()));
    };
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** How the table's rows map to data files: its schema as rows carry it, and where files go. */
  private static final class Layout {
    final Schema schema;
    final List<String> partitionColumns;
    final StructType dataSchema;
    final FileSystem fs;
    final Path root;
    /** For each column of the data files, its field's position in the rows. */
    final int[] ordinals;

    private Layout(Schema schema, List<String> partitionColumns, FileSystem fs, Path root) {
      this.schema = schema;
      this.partitionColumns = partitionColumns;
      this.dataSchema = Schemas.dataSchema(schema, partitionColumns);
      this.fs = fs;
      this.root = root;
      this.ordinals = dataSchema.fields().stream()
          .mapToInt(f -> schema.indexOf(f.getName()))
          .toArray();
    }

    static Layout of(TableCommitClient client, Snapshot snapshot, Configuration conf) {
      String mapping =
          snapshot.getTableProperties().getOrDefault("delta.columnMapping.mode", "none");
      if (!mapping.equalsIgnoreCase("none")) {
        throw new TableCommitException("cannot compact " + client + ": it uses column mapping"
            + " (mode '" + mapping + "'), which Sluice does not write");
      }
      if (Boolean.parseBoolean(snapshot.getTableProperties().get("delta.enableRowTracking"))) {
        throw new TableCommitException("cannot compact " + client
            + ": it tracks row ids (delta.enableRowTracking), which Sluice does not carry over");
      }
      Schema schema;
      try {
        schema = Schemas.fromTable(snapshot.getSchema());
      } catch (IllegalArgumentException e) {
        throw new TableCommitException("cannot compact " + client + ": " + e.getMessage());
      }
      Path location = new Path(client.storageLocation());
      try {
        FileSystem fs = DeltaFileSystems.dataFileSystem(location, conf);
        return new Layout(schema, snapshot.getPartitionColumnNames(), fs, fs.makeQualified(location));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot reach the file system of " + client, e);
      }
    }

    /** The partition values of a live file, in partition column order. */
    Map<String, String> partitionValues(DeltaLog.LiveFile file) {
      Map<String, String> values = new LinkedHashMap<>();
      for (String column : partitionColumns) {
        values.put(column, file.partitionValues().get(column));
      }
      return values;
    }

    OpenDataFile open(Map<String, String> partition, long rowGroupSize, Configuration conf)
        throws IOException {
      StringBuilder relative = new StringBuilder();
      partition.forEach((column, value) ->
          relative.append(PartitionValues.directory(column, value)).append('/'));
      relative.append(DataFileNames.compactedFileName());
      return new OpenDataFile(
          fs,
          new Path(root, relative.toString()),
          relative.toString(),
          partition,
          new RowWriteSupport(schema, partitionColumns, Schemas.parquetSchema(schema, partitionColumns)),
          conf,
          rowGroupSize,
          0);
    }

    /** A row of the table from a row of its data files (partition columns left null). */
    Row row(io.delta.kernel.data.Row data) {
      Object[] values = new Object[schema.size()];
      for (int i = 0; i < ordinals.length; i++) {
        if (!data.isNullAt(i)) {
          Field field = schema.field(ordinals[i]);
          values[ordinals[i]] = switch (field.type()) {
            case STRING -> data.getString(i);
            case INT, DATE -> data.getInt(i);
            case LONG, TIMESTAMP -> data.getLong(i);
            case FLOAT -> data.getFloat(i);
            case DOUBLE -> data.getDouble(i);
            case BOOLEAN -> data.getBoolean(i);
            case BINARY -> data.getBinary(i);
          };
        }
      }
      return new Row(values);
    }
  }
}
