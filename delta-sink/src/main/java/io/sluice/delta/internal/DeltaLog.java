package io.sluice.delta.internal;

import io.delta.kernel.CommitRange;
import io.delta.kernel.CommitRangeBuilder;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.DeltaLogActionUtils;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.TableConfig;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.RemoveFile;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.data.TransactionStateRow;
import io.delta.kernel.internal.fs.Path;
import io.delta.kernel.internal.util.InternalUtils;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import io.sluice.delta.DeltaCommittable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Delta log as this module reads and writes it through Kernel: the live files of a snapshot,
 * the files removed since a time, the retention of removed files, and the actions for data files.
 * Appends use Kernel's public API; the rest needs Kernel internals, which this module uses here
 * only.
 */
final class DeltaLog {
  private DeltaLog() {}

  /**
   * A live data file of a snapshot.
   *
   * @param path as in the log (relative to the table root, URI-encoded, or absolute)
   * @param location its absolute location
   * @param add the file's {@code add} action, which a removal repeats
   */
  record LiveFile(
      String path,
      FileStatus location,
      Map<String, String> partitionValues,
      boolean hasDeletionVector,
      AddFile add) {
    long size() {
      return location.getSize();
    }
  }

  /** The snapshot's live data files. */
  static List<LiveFile> liveFiles(Engine engine, Snapshot snapshot) throws IOException {
    List<LiveFile> files = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> batches =
        snapshot.getScanBuilder().build().getScanFiles(engine, true)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> rows = batches.next().getRows()) {
          while (rows.hasNext()) {
            Row scanFile = rows.next();
            AddFile add = new AddFile(scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL));
            files.add(new LiveFile(
                add.getPath(),
                InternalScanFileUtils.getAddFileStatus(scanFile),
                InternalScanFileUtils.getPartitionValues(scanFile),
                add.getDeletionVector().isPresent(),
                add));
          }
        }
      }
    }
    return files;
  }

  /**
   * The paths (as in the log) of the files removed by the commits whose timestamp is at or after
   * {@code sinceMillis}, up to {@code latest}.
   */
  static List<String> removedSince(Engine engine, Snapshot latest, long sinceMillis)
      throws IOException {
    List<String> removed = new ArrayList<>();
    if (sinceMillis > latest.getTimestamp(engine)) {
      return removed;
    }
    CommitRange range =
        TableManager.loadCommitRange(
                latest.getPath(), CommitRangeBuilder.CommitBoundary.atTimestamp(sinceMillis, latest))
            .withEndBoundary(CommitRangeBuilder.CommitBoundary.atVersion(latest.getVersion()))
            .build(engine);
    Snapshot start =
        TableManager.loadSnapshot(latest.getPath()).atVersion(range.getStartVersion()).build(engine);
    try (CloseableIterator<ColumnarBatch> batches =
        range.getActions(engine, start, Set.of(DeltaLogActionUtils.DeltaAction.REMOVE))) {
      while (batches.hasNext()) {
        ColumnarBatch batch = batches.next();
        ColumnVector removes =
            batch.getColumnVector(batch.getSchema().indexOf(DeltaLogActionUtils.DeltaAction.REMOVE.colName));
        ColumnVector paths = removes.getChild(RemoveFile.FULL_SCHEMA.indexOf("path"));
        for (int row = 0; row < batch.getSize(); row++) {
          if (!removes.isNullAt(row)) {
            removed.add(paths.getString(row));
          }
        }
      }
    }
    return removed;
  }

  /** The table's {@code delta.deletedFileRetentionDuration} (a week unless set). */
  static Duration deletedFileRetention(Snapshot snapshot) {
    return Duration.ofMillis(TableConfig.TOMBSTONE_RETENTION.fromMetadata(snapshot.getMetadata()));
  }

  /** The status of a data file written under {@code tableRoot}, with its statistics. */
  static DataFileStatus status(String tableRoot, DeltaCommittable file, StructType dataSchema) {
    return new DataFileStatus(
        tableRoot + "/" + file.relativePath(),
        file.sizeBytes(),
        file.modificationTime(),
        DataFileStatistics.deserializeFromJson(file.statsJson(), dataSchema));
  }

  /**
   * Adds a file holding rows rewritten from {@code source}'s partition without changing the
   * table's data ({@code dataChange=false}); its partition values are {@code source}'s, verbatim.
   */
  static Row rearrangingAdd(Row txnState, DataFileStatus file, LiveFile source) {
    String relative =
        InternalUtils.relativizePath(
                new Path(file.getPath()),
                new Path(TransactionStateRow.getTablePath(txnState)).toUri())
            .toUri()
            .toString();
    Row add =
        AddFile.createAddFileRow(
            TransactionStateRow.getPhysicalSchema(txnState),
            relative,
            source.add().getPartitionValues(),
            file.getSize(),
            file.getModificationTime(),
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            file.getStatistics());
    return SingleAction.createAddFileSingleAction(add);
  }

  /** Removes a file whose rows were rewritten ({@code dataChange=false}). */
  static Row rearrangingRemove(LiveFile file, long deletionTimestamp) {
    return SingleAction.createRemoveFileSingleAction(
        file.add().toRemoveFileRow(false, Optional.of(deletionTimestamp)));
  }
}
