package io.sluice.testing;

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
import io.delta.kernel.internal.actions.Protocol;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.tablefeatures.TableFeatures;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a Delta table back with Delta Kernel's default engine, the way any independent reader
 * would: scan the latest snapshot, read its Parquet files, apply partition values. The one table
 * reader of the tests.
 */
public final class DeltaTableReader {
  private static final Engine ENGINE = DefaultEngine.create(new Configuration());

  private final Supplier<Snapshot> snapshots;

  /** A table by path; every read loads its latest snapshot. */
  public DeltaTableReader(String tablePath) {
    this(() -> TableManager.loadSnapshot(tablePath).build(ENGINE));
  }

  /** A table whose snapshots come from elsewhere, e.g. a catalog's commit client. */
  public DeltaTableReader(Supplier<Snapshot> snapshots) {
    this.snapshots = snapshots;
  }

  public Engine engine() {
    return ENGINE;
  }

  public Snapshot snapshot() {
    return snapshots.get();
  }

  public Optional<Long> transactionVersion(String appId) {
    return snapshot().getLatestTransactionVersion(ENGINE, appId);
  }

  /**
   * Checks what every catalog-managed table, read through its catalog, must show: the {@code
   * catalogManaged} feature, a path-only Kernel load refused, and every version up to the latest
   * published as {@code _delta_log/<N>.json}.
   *
   * @throws AssertionError naming what is missing
   */
  public void assertCatalogManagedAndPublished() throws IOException {
    Snapshot snapshot = snapshot();
    Protocol protocol = snapshot.getProtocol();
    check(protocol.getReaderFeatures().contains("catalogManaged")
        && protocol.getWriterFeatures().contains("catalogManaged")
        && TableFeatures.isCatalogManagedSupported(protocol), "catalogManaged in " + protocol);
    String location = snapshot.getPath();
    try {
      TableManager.loadSnapshot(location).build(ENGINE);
      throw new AssertionError("a path-only load of the catalog-managed table " + location
          + " was not refused");
    } catch (RuntimeException refused) {
      check(String.valueOf(refused.getMessage()).contains("maxCatalogVersion"),
          "a path-only load is refused for want of the catalog's version: " + refused);
    }
    Path log = Path.of(new org.apache.hadoop.fs.Path(location).toUri()).resolve("_delta_log");
    try (Stream<Path> files = Files.list(log)) {
      List<String> published = files.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d{20}\\.json")).sorted().toList();
      String latest = String.format("%020d.json", snapshot.getVersion());
      check(published.size() == snapshot.getVersion() + 1
          && published.get(published.size() - 1).equals(latest),
          "versions 0.." + snapshot.getVersion() + " published, found " + published);
    }
  }

  private static void check(boolean condition, String expectation) {
    if (!condition) {
      throw new AssertionError("expected " + expectation);
    }
  }

  /** All rows, projected to {@code columns}, values as Java objects (strings, longs...). */
  public List<Object[]> read(List<String> columns) throws IOException {
    List<Object[]> out = new ArrayList<>();
    forEach(columns, out::add);
    return out;
  }

  /**
   * Hands each row, projected to {@code columns} (values as in {@link #read}), to {@code action},
   * one at a time: for tables too large to hold in a list.
   */
  public void forEach(List<String> columns, Consumer<Object[]> action) throws IOException {
    forEachRow((row, schema) -> {
      Object[] values = new Object[columns.size()];
      for (int c = 0; c < values.length; c++) {
        int k = schema.indexOf(columns.get(c));
        values[c] = row.isNullAt(k) ? null : value(row, k, schema.at(k).getDataType());
      }
      action.accept(values);
    });
  }

  /** All rows as engine rows of {@code schema}, sorted by the first column. */
  public List<Row> readRows(Schema schema) throws IOException {
    List<String> names = schema.fields().stream().map(f -> f.name()).toList();
    List<Row> rows = new ArrayList<>();
    for (Object[] values : read(names)) {
      rows.add(new Row(values));
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    Comparator<Row> byFirst = Comparator.comparing(r -> (Comparable) r.get(0));
    rows.sort(byFirst);
    return rows;
  }

  /** Each live data file: its path (as in the log, relative) and partition values. */
  public List<Map.Entry<String, Map<String, String>>> files() throws IOException {
    List<Map.Entry<String, Map<String, String>>> out = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files =
        snapshot().getScanBuilder().build().getScanFiles(ENGINE)) {
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

  private interface RowVisitor {
    void visit(io.delta.kernel.data.Row row, StructType schema);
  }

  private void forEachRow(RowVisitor visitor) throws IOException {
    Scan scan = snapshot().getScanBuilder().build();
    io.delta.kernel.data.Row scanState = scan.getScanState(ENGINE);
    StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(scanState);
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(ENGINE)) {
      while (files.hasNext()) {
        try (CloseableIterator<io.delta.kernel.data.Row> scanFiles = files.next().getRows()) {
          while (scanFiles.hasNext()) {
            io.delta.kernel.data.Row scanFile = scanFiles.next();
            FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
            CloseableIterator<ColumnarBatch> physical =
                ENGINE
                    .getParquetHandler()
                    .readParquetFiles(
                        singletonCloseableIterator(status), physicalSchema, Optional.empty())
                    .map(FileReadResult::getData);
            try (CloseableIterator<FilteredColumnarBatch> logical =
                Scan.transformPhysicalData(ENGINE, scanState, scanFile, physical)) {
              while (logical.hasNext()) {
                FilteredColumnarBatch batch = logical.next();
                StructType schema = batch.getData().getSchema();
                try (CloseableIterator<io.delta.kernel.data.Row> rows = batch.getRows()) {
                  while (rows.hasNext()) {
                    visitor.visit(rows.next(), schema);
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  private static Object value(io.delta.kernel.data.Row row, int k, DataType type) {
    if (type instanceof StringType) {
      return row.getString(k);
    } else if (type instanceof LongType || type instanceof TimestampType) {
      return row.getLong(k);
    } else if (type instanceof IntegerType || type instanceof DateType) {
      return row.getInt(k);
    } else if (type instanceof DoubleType) {
      return row.getDouble(k);
    } else if (type instanceof FloatType) {
      return row.getFloat(k);
    } else if (type instanceof BooleanType) {
      return row.getBoolean(k);
    } else if (type instanceof BinaryType) {
      return row.getBinary(k);
    }
    throw new IllegalArgumentException("unsupported type in the test reader: " + type);
  }
}
