package io.sluice.catalog;

import static io.delta.kernel.internal.util.Utils.toCloseableIterator;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Helpers building Kernel data actions for fake data files, and reading the table's files. */
public final class TestActions {
  public static final StructType SCHEMA =
      new StructType().add("id", LongType.LONG, false).add("name", StringType.STRING, true);

  private TestActions() {}

  /** One AddFile for a (non-existent) data file named {@code fileName} in the table root. */
  public static DataActionsProducer appendFile(String fileName) {
    return appendFiles(List.of(fileName));
  }

  static DataActionsProducer appendFiles(List<String> fileNames) {
    return (engine, txnState) -> {
      DataWriteContext context = Transaction.getWriteContext(engine, txnState, Map.of());
      List<DataFileStatus> files = new ArrayList<>();
      for (String name : fileNames) {
        files.add(
            new DataFileStatus(
                context.getTargetDirectory() + "/" + name, 100, System.currentTimeMillis(),
                Optional.empty()));
      }
      return CloseableIterable.inMemoryIterable(
          Transaction.generateAppendActions(engine, txnState, toCloseableIterator(files.iterator()), context));
    };
  }

  /** Names of the live data files of the filesystem table at {@code tablePath}. */
  public static List<String> dataFiles(Engine engine, String tablePath) throws IOException {
    return dataFiles(engine, TableManager.loadSnapshot(tablePath).build(engine));
  }

  /** Names of the live data files of {@code snapshot}. */
  public static List<String> dataFiles(Engine engine, Snapshot snapshot) throws IOException {
    Scan scan = snapshot.getScanBuilder().build();
    List<String> paths = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> rows = batches.next().getRows()) {
          while (rows.hasNext()) {
            String path = InternalScanFileUtils.getAddFileStatus(rows.next()).getPath();
            paths.add(path.substring(path.lastIndexOf('/') + 1));
          }
        }
      }
    }
    return paths;
  }
}
