package io.sluice.it;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/** Reads a Delta table back with Delta Kernel, the way any independent reader would. */
final class DeltaTableReader {
  private final Engine engine = DefaultEngine.create(new Configuration());
  private final String tablePath;

  DeltaTableReader(String tablePath) {
    this.tablePath = tablePath;
  }

  Snapshot snapshot() {
    return TableManager.loadSnapshot(tablePath).build(engine);
  }

  Optional<Long> transactionVersion(String appId) {
    return snapshot().getLatestTransactionVersion(engine, appId);
  }

  /** All rows of the latest snapshot, projected to {@code columns}, values as Java objects. */
  List<Object[]> read(List<String> columns) throws Exception {
    Snapshot snapshot = snapshot();
    List<StructField> fields = new ArrayList<>();
    for (String c : columns) {
      fields.add(snapshot.getSchema().get(c));
    }
    StructType readSchema = new StructType(fields);
    Scan scan = snapshot.getScanBuilder().withReadSchema(readSchema).build();
    Row scanState = scan.getScanState(engine);
    StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(scanState);
    List<Object[]> rows = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
      while (scanFiles.hasNext()) {
        try (CloseableIterator<Row> files = scanFiles.next().getRows()) {
          while (files.hasNext()) {
            Row scanFile = files.next();
            FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
            CloseableIterator<ColumnarBatch> physical =
                engine.getParquetHandler()
                    .readParquetFiles(
                        io.delta.kernel.internal.util.Utils.singletonCloseableIterator(file),
                        physicalSchema,
                        Optional.empty())
                    .map(r -> r.getData());
            try (CloseableIterator<FilteredColumnarBatch> data =
                Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
              while (data.hasNext()) {
                collect(data.next(), readSchema, rows);
              }
            }
          }
        }
      }
    }
    return rows;
  }

  private static void collect(FilteredColumnarBatch batch, StructType schema, List<Object[]> out) {
    ColumnarBatch data = batch.getData();
    Optional<ColumnVector> selection = batch.getSelectionVector();
    for (int r = 0; r < data.getSize(); r++) {
      int row = r;
      if (selection.isPresent()
          && (selection.get().isNullAt(row) || !selection.get().getBoolean(row))) {
        continue;
      }
      Object[] values = new Object[schema.length()];
      for (int c = 0; c < schema.length(); c++) {
        ColumnVector v = data.getColumnVector(data.getSchema().indexOf(schema.at(c).getName()));
        values[c] = v.isNullAt(row) ? null : value(v, schema.at(c).getDataType(), row);
      }
      out.add(values);
    }
  }

  private static Object value(ColumnVector v, DataType type, int row) {
    if (type instanceof StringType) {
      return v.getString(row);
    } else if (type instanceof LongType || type instanceof TimestampType) {
      return v.getLong(row);
    } else if (type instanceof IntegerType) {
      return v.getInt(row);
    } else if (type instanceof DoubleType) {
      return v.getDouble(row);
    } else if (type instanceof BooleanType) {
      return v.getBoolean(row);
    }
    throw new IllegalArgumentException("unsupported type in test reader: " + type);
  }
}
