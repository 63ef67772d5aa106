package io.sluice.service.internal;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.StructField;
import io.delta.kernel.utils.CloseableIterator;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code sluice table}: what a Delta table holds now, read with Delta Kernel through its catalog
 * (version, schema, partition columns, files, bytes and rows from the file statistics), so a
 * newcomer can watch data arrive without a query engine.
 */
public final class TableSummary {
  private TableSummary() {}

  /**
   * Prints the summary of the table of {@code client} ({@code byName}: a catalog's table, read
   * through the catalog); returns false (after printing why) when there is no such table or its
   * catalog refuses to show it.
   */
  public static boolean print(TableCommitClient client, boolean byName, PrintStream out, PrintStream err)
      throws IOException {
    Snapshot snapshot;
    try {
      snapshot = client.latestSnapshot();
    } catch (TableCommitException e) {
      err.println("sluice: " + e.getMessage());
      return false;
    }
    Engine engine = client.engine();
    Totals totals = totals(snapshot, engine);
    if (byName) {
      out.println("table:      " + client);
      out.println("location:   " + snapshot.getPath());
    } else {
      out.println("table:      " + snapshot.getPath());
    }
    out.println("version:    " + snapshot.getVersion() + " (committed " + Instant.ofEpochMilli(snapshot.getTimestamp(engine)) + ")");
    out.println("schema:     " + snapshot.getSchema().fields().stream().map(TableSummary::describe).collect(Collectors.joining(", ")));
    out.println("partitions: " + (snapshot.getPartitionColumnNames().isEmpty() ? "none" : String.join(", ", snapshot.getPartitionColumnNames())));
    out.printf("files:      %d (%.1f MiB)%n", totals.files(), totals.bytes() / (1024.0 * 1024.0));
    out.println("rows:       " + totals.rows()
        + (totals.rowsKnown() ? "" : " (at least: some files have no statistics)"));
    return true;
  }

  /**
   * What a snapshot holds: its live data files, their bytes and their rows from the files'
   * statistics ({@code rowsKnown} false when some file has none, so {@code rows} is a lower bound).
   */
  record Totals(long version, long files, long bytes, long rows, boolean rowsKnown) {}

  /** Adds up the live files of {@code snapshot} (reading its log, not its data files). */
  static Totals totals(Snapshot snapshot, Engine engine) throws IOException {
    long files = 0;
    long bytes = 0;
    long rows = 0;
    boolean rowsKnown = true;
    Scan scan = snapshot.getScanBuilder().build();
    try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine, true)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> scanFiles = batches.next().getRows()) {
          while (scanFiles.hasNext()) {
            Row scanFile = scanFiles.next();
            files++;
            bytes += InternalScanFileUtils.getAddFileStatus(scanFile).getSize();
            Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
            int statsOrdinal = add.getSchema().indexOf("stats");
            Optional<Long> fileRows = statsOrdinal < 0 || add.isNullAt(statsOrdinal)
                ? Optional.empty()
                : DataFileStatistics.getNumRecords(add.getString(statsOrdinal));
            rowsKnown &= fileRows.isPresent();
            rows += fileRows.orElse(0L);
          }
        }
      }
    }
    return new Totals(snapshot.getVersion(), files, bytes, rows, rowsKnown);
  }

  private static String describe(StructField field) {
    return field.getName() + " " + field.getDataType() + (field.isNullable() ? "" : " not null");
  }
}
