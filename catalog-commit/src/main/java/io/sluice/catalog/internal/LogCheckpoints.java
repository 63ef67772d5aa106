package io.sluice.catalog.internal;

import static io.delta.kernel.internal.util.Utils.singletonCloseableIterator;

import io.delta.kernel.Snapshot;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.ExpressionHandler;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.engine.FileSystemClient;
import io.delta.kernel.engine.JsonHandler;
import io.delta.kernel.engine.MetricsReporter;
import io.delta.kernel.engine.ParquetHandler;
import io.delta.kernel.exceptions.CheckpointAlreadyExistsException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Delta log checkpoint every N versions, written by whichever writer lands on such a version. */
final class LogCheckpoints {
  private static final Logger LOG = LoggerFactory.getLogger(LogCheckpoints.class);

  /** What a checkpoint's rows are counted by: a narrow column every checkpoint has. */
  private static final StructType COUNTED =
      new StructType()
          .add("protocol", new StructType().add("minReaderVersion", IntegerType.INTEGER));

  private LogCheckpoints() {}

  /**
   * Checkpoints {@code published} if its version is a positive multiple of {@code interval}.
   *
   * @return whether this call wrote a checkpoint
   */
  static boolean writeIfDue(Engine engine, String table, Snapshot published, int interval) {
    long version = published.getVersion();
    if (interval <= 0 || version <= 0 || version % interval != 0) {
      return false;
    }
    WatchedWrite write = new WatchedWrite(engine);
    try {
      published.writeCheckpoint(write);
      LOG.info("Wrote Delta log checkpoint of {} at version {}", table, version);
      return true;
    } catch (CheckpointAlreadyExistsException e) {
      LOG.debug("Checkpoint of {} at version {} already exists", table, version);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Checkpoint of {} at version {} failed: {}", table, version, e.toString());
    }
    if (write.failed) {
      removeIfPartial(engine, table, write);
    }
    return false;
  }

  /**
   * Deletes the checkpoint file at the path of {@code write}, which failed, unless it holds a
   * complete checkpoint.
   *
   * <p>Why: Kernel's Parquet writer closes its output when the write fails, and closing renames
   * the temporary file onto {@code N.checkpoint.parquet}. A failure in the writer leaves a file
   * without a footer, which every reader of the table fails on; a failure in the log replay that
   * feeds the writer (an interrupt, a file gone) leaves a readable file that lacks the actions not
   * yet replayed, which readers silently take for the table's state. So a readable footer is not
   * enough: the file is kept only if it holds more rows than this write handed to its writer,
   * which a file of ours cannot (or as many, if the replay had ended: then ours is complete too).
   * Such a file is another writer's complete checkpoint of the version, published before or after
   * ours. One that lands between this check and the delete is lost; the next checkpoint replaces
   * it.
   */
  private static void removeIfPartial(Engine engine, String table, WatchedWrite write) {
    // An interrupt that failed the write would fail the check too: judge and delete without it.
    boolean interrupted = Thread.interrupted();
    try {
      FileStatus file;
      try {
        file = engine.getFileSystemClient().getFileStatus(write.path);
      } catch (FileNotFoundException e) {
        return; // nothing was published
      }
      OptionalLong rows = rows(engine, file);
      long ours = write.rowsHandedOver;
      boolean complete =
          rows.isPresent()
              && (rows.getAsLong() > ours || (write.replayEnded && rows.getAsLong() == ours));
      if (complete) {
        LOG.info("Kept {} of {}: a complete checkpoint ({} rows)", write.path, table, rows.getAsLong());
        return;
      }
      if (engine.getFileSystemClient().delete(write.path)) {
        LOG.warn(
            "Deleted {} of {}, which the failed checkpoint left {}",
            write.path, table,
            rows.isPresent() ? "incomplete (" + rows.getAsLong() + " rows)" : "unreadable");
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Could not check or delete {} of {} after its checkpoint failed (readers may fail on it):"
              + " {}",
          write.path, table, e.toString());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The rows of the Parquet file {@code file}, or empty when it does not read as one. */
  private static OptionalLong rows(Engine engine, FileStatus file) {
    long rows = 0;
    try (CloseableIterator<FileReadResult> batches =
        engine.getParquetHandler().readParquetFiles(
            singletonCloseableIterator(file), COUNTED, Optional.empty())) {
      while (batches.hasNext()) {
        rows += batches.next().getData().getSize();
      }
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(rows);
  }

  /**
   * The engine a checkpoint is written with: the given one, which notes whether the write of the
   * checkpoint file failed, its path, how many rows it handed to the Parquet writer, and whether
   * the log replay feeding them had ended.
   */
  private static final class WatchedWrite implements Engine {
    private final Engine engine;
    private final ParquetHandler parquet;
    String path;
    boolean failed;
    long rowsHandedOver;
    boolean replayEnded;

    WatchedWrite(Engine engine) {
      this.engine = engine;
      ParquetHandler real = engine.getParquetHandler();
      this.parquet =
          new ParquetHandler() {
            @Override
            public CloseableIterator<FileReadResult> readParquetFiles(
                CloseableIterator<FileStatus> files,
                StructType schema,
                Optional<Predicate> predicate)
                throws IOException {
              return real.readParquetFiles(files, schema, predicate);
            }

            @Override
            public CloseableIterator<DataFileStatus> writeParquetFiles(
                String directory,
                CloseableIterator<FilteredColumnarBatch> data,
                List<Column> statsColumns)
                throws IOException {
              return real.writeParquetFiles(directory, data, statsColumns);
            }

            @Override
            public void writeParquetFileAtomically(
                String filePath, CloseableIterator<FilteredColumnarBatch> data)
                throws IOException {
              path = filePath;
              failed = true;
              rowsHandedOver = 0;
              replayEnded = false;
              real.writeParquetFileAtomically(filePath, counted(data));
              failed = false;
            }
          };
    }

    private CloseableIterator<FilteredColumnarBatch> counted(
        CloseableIterator<FilteredColumnarBatch> data) {
      return new CloseableIterator<>() {
        @Override
        public boolean hasNext() {
          boolean more = data.hasNext();
          replayEnded |= !more;
          return more;
        }

        @Override
        public FilteredColumnarBatch next() {
          FilteredColumnarBatch batch = data.next();
          rowsHandedOver += selectedRows(batch);
          return batch;
        }

        @Override
        public void close() throws IOException {
          data.close();
        }
      };
    }

    /** The rows of {@code batch} the Parquet writer writes: those its selection vector selects. */
    private static long selectedRows(FilteredColumnarBatch batch) {
      int size = batch.getData().getSize();
      Optional<ColumnVector> selection = batch.getSelectionVector();
      if (selection.isEmpty()) {
        return size;
      }
      long selected = 0;
      for (int row = 0; row < size; row++) {
        if (!selection.get().isNullAt(row) && selection.get().getBoolean(row)) {
          selected++;
        }
      }
      return selected;
    }

    @Override
    public ExpressionHandler getExpressionHandler() {
      return engine.getExpressionHandler();
    }

    @Override
    public JsonHandler getJsonHandler() {
      return engine.getJsonHandler();
    }

    @Override
    public FileSystemClient getFileSystemClient() {
      return engine.getFileSystemClient();
    }

    @Override
    public ParquetHandler getParquetHandler() {
      return parquet;
    }

    @Override
    public List<MetricsReporter> getMetricsReporters() {
      return engine.getMetricsReporters();
    }
  }
}
