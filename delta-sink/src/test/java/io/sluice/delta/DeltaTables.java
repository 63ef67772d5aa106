package io.sluice.delta;

import static io.delta.kernel.internal.util.Utils.singletonCloseableIterator;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.sluice.engine.row.Field;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/** Reads Delta tables back with Delta Kernel's default engine (scan + Parquet read). */
final class DeltaTables {
  static final Engine ENGINE = DefaultEngine.create(new Configuration());

  private DeltaTables() {}

  static Snapshot snapshot(String tablePath) {
    return TableManager.loadSnapshot(tablePath).build(ENGINE);
  }

  /** All rows of the table as engine rows of {@code schema}, sorted by the first column. */
  static List<Row> readRows(String tablePath, Schema schema) throws IOException {
    return readRows(snapshot(tablePath), schema);
  }

  /** All rows of {@code snapshot} as engine rows of {@code schema}, sorted by the first column. */
  static List<Row> readRows(Snapshot snapshot, Schema schema) throws IOException {
    Scan scan = snapshot.getScanBuilder().build();
    io.delta.kernel.data.Row scanState = scan.getScanState(ENGINE);
    StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(scanState);
    List<Row> out = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(ENGINE)) {
      while (files.hasNext()) {
        try (CloseableIterator<io.delta.kernel.data.Row> scanFiles = files.next().getRows()) {
          while (scanFiles.hasNext()) {
            io.delta.kernel.data.Row scanFile = scanFiles.next();
            FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
            CloseableIterator<ColumnarBatch> physical =
                ENGINE
                    .getParquetHandler()
                    .readParquetFiles(singletonCloseableIterator(status), physicalSchema, Optional.empty())
                    .map(FileReadResult::getData);
            try (CloseableIterator<FilteredColumnarBatch> logical =
                Scan.transformPhysicalData(ENGINE, scanState, scanFile, physical)) {
              while (logical.hasNext()) {
                FilteredColumnarBatch batch = logical.next();
                StructType logicalSchema = batch.getData().getSchema();
                try (CloseableIterator<io.delta.kernel.data.Row> rows = batch.getRows()) {
                  while (rows.hasNext()) {
                    out.add(toEngineRow(rows.next(), logicalSchema, schema));
                  }
                }
              }
            }
          }
        }
      }
    }
    out.sort(Comparator.comparing(r -> (Comparable) r.get(0)));
    return out;
  }

  /** Each live data file: its path (as in the log, relative) and partition values. */
  static List<Map.Entry<String, Map<String, String>>> files(String tablePath) throws IOException {
    Snapshot snapshot = snapshot(tablePath);
    List<Map.Entry<String, Map<String, String>>> out = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files =
        snapshot.getScanBuilder().build().getScanFiles(ENGINE)) {
      while (files.hasNext()) {
        try (CloseableIterator<io.delta.kernel.data.Row> rows = files.next().getRows()) {
          while (rows.hasNext()) {
            io.delta.kernel.data.Row scanFile = rows.next();
            io.delta.kernel.data.Row add = scanFile.getStruct(scanFile.getSchema().indexOf("add"));
            out.add(
                Map.entry(
                    add.getString(add.getSchema().indexOf("path")),
                    InternalScanFileUtils.getPartitionValues(scanFile)));
          }
        }
      }
    }
    return out;
  }

  private static Row toEngineRow(
      io.delta.kernel.data.Row row, StructType logicalSchema, Schema schema) {
    Object[] values = new Object[schema.size()];
    for (int i = 0; i < schema.size(); i++) {
      Field f = schema.field(i);
      int k = logicalSchema.indexOf(f.name());
      if (row.isNullAt(k)) {
        continue;
      }
      values[i] =
          switch (f.type()) {
            case STRING -> row.getString(k);
            case INT, DATE -> row.getInt(k);
            case LONG, TIMESTAMP -> row.getLong(k);
            case FLOAT -> row.getFloat(k);
            case DOUBLE -> row.getDouble(k);
            case BOOLEAN -> row.getBoolean(k);
          };
    }
    return new Row(values);
  }
}
