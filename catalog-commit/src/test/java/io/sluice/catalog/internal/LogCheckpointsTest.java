package io.sluice.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.JsonHandler;
import io.delta.kernel.engine.ParquetHandler;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitClients;
import io.sluice.catalog.TableDefinition;
import io.sluice.catalog.TestActions;
import io.sluice.testing.ForwardingEngine;
import io.sluice.testing.ForwardingParquetHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log checkpoint that fails never leaves a checkpoint file readers would fail on or take for
 * the table's state, and never deletes another writer's complete one.
 */
class LogCheckpointsTest {
  private static final int VERSION = 6;

  @TempDir Path dir;

  private Path table;
  private Path checkpoint;
  private TableCommitClient client;

  /** A table of versions 0..6, one data file added by each of 1..6, no checkpoint yet. */
  @BeforeEach
  void tableOfSixCommits() {
    table = dir.resolve("t");
    client =
        TableCommitClients.fileSystem(
            table.toString(), CommitClientConfig.defaults().withCheckpointInterval(0));
    client.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    for (int i = 1; i <= VERSION; i++) {
      client.commit("app", "lineage-1", i, TestActions.appendFile(i + ".parquet"));
    }
    checkpoint = table.resolve("_delta_log").resolve(String.format("%020d.checkpoint.parquet", VERSION));
  }

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void aCheckpointInterruptedWhileItReplaysTheLogLeavesNoCheckpointFile() throws Exception {
    // Kernel's writer renames what it wrote onto the checkpoint's name: 4 bytes, no footer.
    assertFalse(LogCheckpoints.writeIfDue(
        new FaultyEngine(client.engine(), () -> Thread.currentThread().interrupt()),
        "t", latest(), VERSION));
    Thread.interrupted();
    assertAllDataFilesRead();
    assertFalse(Files.exists(checkpoint), "the failed checkpoint left " + checkpoint);
  }

  @Test
  void aCheckpointWhoseLogReplayFailsLeavesNoIncompleteCheckpoint() throws Exception {
    // Kernel's writer closes the Parquet file properly: readable, but with only the actions
    // replayed before the failure (the newest commit's): a reader would see one data file of six.
    assertFalse(LogCheckpoints.writeIfDue(
        new FaultyEngine(client.engine(), () -> {
          throw new UncheckedIOException(new IOException("injected: a log file is gone"));
        }),
        "t", latest(), VERSION));
    assertAllDataFilesRead();
    assertFalse(Files.exists(checkpoint), "the failed checkpoint left " + checkpoint);
  }

  @Test
  void anotherWritersCompleteCheckpointThatLandsAfterAFailedOneIsKept() throws Exception {
    Checkpoint complete = completeCheckpoint();
    FaultyEngine engine = new FaultyEngine(client.engine(), () -> {
      throw new UncheckedIOException(new IOException("injected: a log file is gone"));
    });
    // Another writer renames its complete checkpoint onto ours as our failed write ends.
    engine.afterWrite = complete::publish;
    assertFalse(LogCheckpoints.writeIfDue(engine, "t", latest(), VERSION));
    assertArrayEquals(complete.bytes, Files.readAllBytes(checkpoint));
    assertAllDataFilesRead();
  }

  @Test
  void aCompleteCheckpointOfAnotherWriterThatWonThePublishIsKept() throws Exception {
    // Where renames do not replace files (HDFS), the writer that publishes second fails with
    // "already exists" after it handed over every row.
    Checkpoint complete = completeCheckpoint();
    complete.publish();
    FaultyEngine engine = new FaultyEngine(client.engine(), () -> {});
    engine.write = (path, data) -> {
      while (data.hasNext()) {
        data.next();
      }
      data.close();
      throw new FileAlreadyExistsException(path);
    };
    assertFalse(LogCheckpoints.writeIfDue(engine, "t", latest(), VERSION));
    assertArrayEquals(complete.bytes, Files.readAllBytes(checkpoint));
    assertAllDataFilesRead();
  }

  /** A complete checkpoint file and its Hadoop checksum, as another writer publishes them. */
  private record Checkpoint(Path file, byte[] bytes, Path sidecar, byte[] sidecarBytes) {
    void publish() throws IOException {
      Files.write(file, bytes);
      Files.write(sidecar, sidecarBytes);
    }
  }

  /** A complete checkpoint at {@link #VERSION}, which is left unpublished. */
  private Checkpoint completeCheckpoint() throws Exception {
    assertTrue(LogCheckpoints.writeIfDue(client.engine(), "t", latest(), VERSION));
    Path sidecar = checkpoint.resolveSibling("." + checkpoint.getFileName() + ".crc");
    Checkpoint complete =
        new Checkpoint(checkpoint, Files.readAllBytes(checkpoint), sidecar, Files.readAllBytes(sidecar));
    Files.delete(checkpoint);
    Files.delete(sidecar);
    return complete;
  }

  private Snapshot latest() {
    return TableManager.loadSnapshot(table.toString()).build(client.engine());
  }

  /** A fresh reader of the table sees all 6 data files. */
  private void assertAllDataFilesRead() throws Exception {
    Engine fresh = TableCommitClients.fileSystem(table.toString(), CommitClientConfig.defaults()).engine();
    assertEquals(
        List.of("1.parquet", "2.parquet", "3.parquet", "4.parquet", "5.parquet", "6.parquet"),
        TestActions.dataFiles(fresh, table.toString()).stream().sorted().toList());
  }

  /**
   * An engine whose reads of log commits run {@code fault} once a commit's first batch was read
   * (while a checkpoint replays the log into its Parquet writer), and whose checkpoint writes run
   * {@code write}, then {@code afterWrite}.
   */
  private static final class FaultyEngine extends ForwardingEngine {
    interface Write {
      void write(String path, CloseableIterator<FilteredColumnarBatch> data) throws IOException;
    }

    interface Step {
      void run() throws IOException;
    }

    private final Runnable fault;
    Write write;
    Step afterWrite = () -> {};

    FaultyEngine(Engine real, Runnable fault) {
      super(real);
      this.fault = fault;
      this.write = real.getParquetHandler()::writeParquetFileAtomically;
    }

    @Override
    public JsonHandler getJsonHandler() {
      JsonHandler json = real.getJsonHandler();
      return new JsonHandler() {
        @Override
        public ColumnarBatch parseJson(
            ColumnVector jsonStrings, StructType schema, Optional<ColumnVector> selection) {
          return json.parseJson(jsonStrings, schema, selection);
        }

        @Override
        public void writeJsonFileAtomically(
            String path, CloseableIterator<Row> data, boolean overwrite) throws IOException {
          json.writeJsonFileAtomically(path, data, overwrite);
        }

        @Override
        public CloseableIterator<ColumnarBatch> readJsonFiles(
            CloseableIterator<FileStatus> files, StructType schema, Optional<Predicate> predicate)
            throws IOException {
          CloseableIterator<ColumnarBatch> batches = json.readJsonFiles(files, schema, predicate);
          return new CloseableIterator<>() {
            private boolean read;

            @Override
            public boolean hasNext() {
              if (read) {
                fault.run();
              }
              return batches.hasNext();
            }

            @Override
            public ColumnarBatch next() {
              read = true;
              return batches.next();
            }

            @Override
            public void close() throws IOException {
              batches.close();
            }
          };
        }
      };
    }

    @Override
    public ParquetHandler getParquetHandler() {
      return new ForwardingParquetHandler(real.getParquetHandler()) {
        @Override
        public void writeParquetFileAtomically(
            String path, CloseableIterator<FilteredColumnarBatch> data) throws IOException {
          try {
            write.write(path, data);
          } finally {
            afterWrite.run();
          }
        }
      };
    }
  }
}
