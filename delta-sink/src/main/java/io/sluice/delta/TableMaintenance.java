package io.sluice.delta;

import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitException;
import io.sluice.delta.internal.Compactor;
import io.sluice.delta.internal.Vacuum;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Maintenance of a Delta table on demand, as {@code sluice compact} and {@code sluice vacuum} run
 * it. Only where the table's catalog permits it ({@link TableCommitClient#maintenanceRefusal}):
 * filesystem tables.
 */
public final class TableMaintenance {
  private TableMaintenance() {}

  /**
   * Compacts the partitions matching {@code partition} (partition column to value as in the log;
   * empty: every partition): in each, the files smaller than half of {@code targetFileSize} are
   * packed into files of up to that size, committed as it goes, in commits of at most {@link
   * DeltaSinkOptions#COMPACTION_MAX_BYTES} of small files each. Safe while pipelines append to the
   * table; files another compaction removes first are left to it.
   *
   * @throws TableCommitException when the table may not be compacted, naming it and why, or a
   *     column of {@code partition} is not a partition column
   */
  public static CompactionResult compact(
      TableCommitClient client,
      Configuration hadoopConf,
      long targetFileSize,
      Map<String, String> partition)
      throws IOException {
    DeltaSinkOptions.TARGET_FILE_SIZE.validate(targetFileSize);
    List<String> partitionColumns = client.latestSnapshot().getPartitionColumnNames();
    for (String column : partition.keySet()) {
      if (!partitionColumns.contains(column)) {
        throw new TableCommitException("cannot compact " + client + ": '" + column
            + "' is not a partition column; its partition columns are " + partitionColumns);
      }
    }
    Compactor compactor = new Compactor(client, hadoopConf, targetFileSize,
        Math.min(targetFileSize, DeltaSinkOptions.PARQUET_ROW_GROUP_SIZE.defaultValue()));
    return compactor.compactAll(
        values -> partition.entrySet().stream()
            .allMatch(e -> e.getValue().equals(values.get(e.getKey()))),
        DeltaSinkOptions.COMPACTION_MAX_BYTES.defaultValue());
  }

  /** The table's {@code delta.deletedFileRetentionDuration} (a week unless set). */
  public static Duration deletedFileRetention(TableCommitClient client) {
    return Vacuum.deletedFileRetention(client.latestSnapshot());
  }

  /**
   * Deletes the table's data files that no version within {@code retention} references and no
   * writer is still to commit (see {@code internal.Vacuum}); with {@code dryRun}, only lists them.
   *
   * @throws IllegalArgumentException when {@code retention} is shorter than the table's {@code
   *     delta.deletedFileRetentionDuration} (a week unless set) and not {@code force}d, or shorter
   *     than an hour ({@link Vacuum#MIN_RETENTION})
   * @throws TableCommitException when the table may not be vacuumed, naming it and why
   */
  public static VacuumResult vacuum(
      TableCommitClient client,
      Configuration hadoopConf,
      Duration retention,
      boolean force,
      boolean dryRun)
      throws IOException {
    return new Vacuum(client, hadoopConf).run(retention, force, dryRun);
  }
}
