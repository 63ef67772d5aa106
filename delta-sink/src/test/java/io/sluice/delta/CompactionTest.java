package io.sluice.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.engine.ParquetHandler;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.CommitOutcome;
import io.sluice.catalog.DataActionsProducer;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitClients;
import io.sluice.catalog.TableCommitException;
import io.sluice.delta.internal.CompactionPlanner;
import io.sluice.engine.row.Row;
import io.sluice.engine.sink.GlobalCommitter;
import io.sluice.engine.sink.SinkContext;
import io.sluice.engine.sink.SinkWriter;
import io.sluice.testing.DeltaTableReader;
import io.sluice.testing.ForwardingEngine;
import io.sluice.testing.ForwardingParquetHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction of filesystem tables: rows unchanged, fewer files, safe next to other writers. */
class CompactionTest {
  private static final long TARGET = 128 << 20;

  @TempDir Path dir;

  private Path table;
  private DeltaSink sink;

  /** A table partitioned by {@code day} (3 values), of {@code checkpoints} commits of 2 writers. */
  private void tableOfSmallFiles(int checkpoints, DeltaSinkConfig.Compaction compaction) throws Exception {
    table = dir.resolve("t");
    sink = new DeltaSink(DeltaSinkConfig.builder(table.toString(), DeltaSinkTest.SCHEMA, "pipe/t")
        .partitionColumns("day")
        .compaction(compaction)
        .build());
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(DeltaSinkTest.COMMITTER)) {
      committer.discardUncommitted(-1);
      for (long cp = 1; cp <= checkpoints; cp++) {
        committer.commit(cp, stage(cp, 0));
      }
    }
  }

  /** Checkpoint {@code cp}'s 30 rows, from 2 writers, {@code offset} added to their ids. */
  private List<DeltaCommittable> stage(long cp, long offset) throws Exception {
    List<DeltaCommittable> files = new ArrayList<>();
    for (int subtask = 0; subtask < 2; subtask++) {
      try (SinkWriter<Row, DeltaCommittable> w =
          sink.createWriter(new SinkContext("pipe", subtask, 2, cp - 1))) {
        long from = offset + cp * 100 + subtask * 15;
        for (long id = from; id < from + 15; id++) {
          w.write(DeltaSinkTest.row(id));
        }
        files.addAll(w.prepareCommit(cp));
      }
    }
    return files;
  }

  private static DeltaSinkConfig.Compaction off() {
    return new DeltaSinkConfig.Compaction(false, 10, TARGET / 2, 1L << 30);
  }

  private TableCommitClient client() {
    return TableCommitClients.fileSystem(table.toString(), CommitClientConfig.defaults());
  }

  private DeltaTableReader readerAt(long version) {
    TableCommitClient c = client();
    return new DeltaTableReader(
        () -> TableManager.loadSnapshot(table.toString()).atVersion(version).build(c.engine()));
  }

  private List<Row> expectedRows(int checkpoints, long offset) {
    List<Row> rows = new ArrayList<>();
    for (long cp = 1; cp <= checkpoints; cp++) {
      rows.addAll(DeltaSinkTest.rows(offset + cp * 100, offset + cp * 100 + 30));
    }
    return rows;
  }

  @Test
  void smallFilesOfEachPartitionBecomeOneWithTheSameRowsAndNoDataChange() throws Exception {
    tableOfSmallFiles(8, off());
    DeltaTableReader latest = new DeltaTableReader(table.toString());
    assertEquals(48, latest.files().size()); // 8 commits x 2 writers x 3 days
    List<Row> before = latest.readRows(DeltaSinkTest.SCHEMA);
    assertEquals(expectedRows(8, 0), before);

    CompactionResult result;
    try (TableCommitClient c = client()) {
      result = TableMaintenance.compact(c, new Configuration(), TARGET, Map.of());
    }
    assertEquals(48, result.filesRemoved());
    assertEquals(3, result.filesAdded());
    assertEquals(240, result.rows());
    // Version 1 records the pipeline's lineage, 2..9 are its commits.
    assertEquals(10, result.tableVersion().getAsLong());
    assertEquals(3, latest.files().size());
    assertEquals(before, latest.readRows(DeltaSinkTest.SCHEMA));
    // Every version still reads, as it was.
    for (long v = 2; v <= 9; v++) {
      assertEquals(expectedRows((int) v - 1, 0), readerAt(v).readRows(DeltaSinkTest.SCHEMA), "version " + v);
    }
    JsonNode[] actions = actionsOf(10);
    long removes = Stream.of(actions).filter(a -> a.has("remove")).count();
    long adds = Stream.of(actions).filter(a -> a.has("add")).count();
    assertEquals(48, removes);
    assertEquals(3, adds);
    for (JsonNode a : actions) {
      JsonNode file = a.has("remove") ? a.get("remove") : a.get("add");
      if (file != null) {
        assertFalse(file.get("dataChange").asBoolean(), a.toString());
      }
      if (a.has("add")) {
        assertTrue(a.get("add").get("path").asText().contains("compacted-"), a.toString());
        assertEquals(80, new ObjectMapper().readTree(a.get("add").get("stats").asText())
            .get("numRecords").asLong());
      }
      assertFalse(a.has("txn"), "a compaction carries no pipeline's txn: " + a);
    }
    try (TableCommitClient c = client()) {
      assertFalse(TableMaintenance.compact(c, new Configuration(), TARGET, Map.of()).compacted(),
          "one file per partition: nothing left to compact");
    }
  }

  @Test
  void whereCompactsOnePartitionAndRefusesColumnsThatAreNotPartitionColumns() throws Exception {
    tableOfSmallFiles(4, off());
    String day = new DeltaTableReader(table.toString()).files().get(0).getValue().get("day");
    try (TableCommitClient c = client()) {
      CompactionResult result = TableMaintenance.compact(c, new Configuration(), TARGET, Map.of("day", day));
      assertEquals(8, result.filesRemoved());
      assertEquals(1, result.filesAdded());
      TableCommitException e = assertThrows(TableCommitException.class,
          () -> TableMaintenance.compact(c, new Configuration(), TARGET, Map.of("name", "x")));
      assertTrue(e.getMessage().contains("'name' is not a partition column; its partition columns are [day]"),
          e.getMessage());
      assertTrue(e.getMessage().contains(table.toString()), e.getMessage());
    }
    assertEquals(1 + 16, new DeltaTableReader(table.toString()).files().size());
    assertEquals(expectedRows(4, 0), new DeltaTableReader(table.toString()).readRows(DeltaSinkTest.SCHEMA));
  }

  @Test
  void aCompactionRebasesOverAnAppendThatLandsWhileItCommits() throws Exception {
    tableOfSmallFiles(4, off());
    CompactionResult result;
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(DeltaSinkTest.COMMITTER);
        TableCommitClient c = new Interleaving(client(), () -> committer.commit(5, stage(5, 0)))) {
      result = TableMaintenance.compact(c, new Configuration(), TARGET, Map.of());
    }
    // The first compaction, of 24 files, was built on version 5 (the lineage record and 4
    // commits), met the append at 6 and landed at 7; the second packed each day's compacted file
    // with the 2 appended ones.
    assertEquals(24 + 9, result.filesRemoved());
    assertEquals(8, result.tableVersion().getAsLong());
    assertEquals(List.of(24, 9), removesPerVersion(7, 8));
    assertEquals(3, new DeltaTableReader(table.toString()).files().size());
    assertEquals(expectedRows(5, 0), new DeltaTableReader(table.toString()).readRows(DeltaSinkTest.SCHEMA));
  }

  @Test
  void aCompactionWhoseFilesAnotherRemovedFirstCommitsNothingAndDeletesItsOutput() throws Exception {
    tableOfSmallFiles(4, off());
    try (TableCommitClient c = new Interleaving(client(), () -> {
          try (TableCommitClient other = client()) {
            assertEquals(24, TableMaintenance.compact(other, new Configuration(), TARGET, Map.of()).filesRemoved());
          }
        })) {
      assertFalse(TableMaintenance.compact(c, new Configuration(), TARGET, Map.of()).compacted());
    }
    DeltaTableReader reader = new DeltaTableReader(table.toString());
    assertEquals(3, reader.files().size());
    assertEquals(expectedRows(4, 0), reader.readRows(DeltaSinkTest.SCHEMA));
    try (Stream<Path> files = Files.walk(table)) {
      assertEquals(3, files.filter(p -> p.getFileName().toString().startsWith("compacted-")).count(),
          "the losing compaction deleted what it wrote");
    }
  }

  @Test
  void aCompactionWhoseFilesAnotherRemovedBeforeItsCommitReadTheTableCommitsNothing()
      throws Exception {
    // Another process's compaction lands while this one rewrites: the commit must still see that
    // its files are gone, although the table it would read now no longer has them.
    tableOfSmallFiles(4, off());
    try (TableCommitClient c = new Interleaving(client(), () -> {
          try (TableCommitClient other = client()) {
            assertEquals(24, TableMaintenance.compact(other, new Configuration(), TARGET, Map.of()).filesRemoved());
          }
        }, true)) {
      assertFalse(TableMaintenance.compact(c, new Configuration(), TARGET, Map.of()).compacted());
    }
    DeltaTableReader reader = new DeltaTableReader(table.toString());
    assertEquals(3, reader.files().size());
    assertEquals(expectedRows(4, 0), reader.readRows(DeltaSinkTest.SCHEMA));
  }

  @Test
  void thePipelinesCompactionRunsAfterCommitsOnceATierIsFull() throws Exception {
    table = dir.resolve("t");
    sink = new DeltaSink(DeltaSinkConfig.builder(table.toString(), DeltaSinkTest.SCHEMA, "pipe/t")
        .partitionColumns("day")
        .compaction(new DeltaSinkConfig.Compaction(true, 4, TARGET / 2, 1L << 30))
        .build());
    DeltaTableReader reader = new DeltaTableReader(table.toString());
    try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(DeltaSinkTest.COMMITTER)) {
      committer.discardUncommitted(-1);
      for (long cp = 1; cp <= 6; cp++) {
        committer.commit(cp, stage(cp, 0));
      }
      // 2 writers x 6 commits: each day's tier of ingested files fills up (4 files) 3 times. The
      // round after the last commit leaves no tier full.
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!settled(reader, 4) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    assertTrue(settled(reader, 4), "no tier left full");
    assertTrue(reader.files().size() < 36 / 2, "files: " + reader.files().size());
    assertEquals(expectedRows(6, 0), reader.readRows(DeltaSinkTest.SCHEMA));
  }

  @Test
  void closingThePipelineLetsTheCompactionsCommitAndLogCheckpointFinishUninterrupted()
      throws Exception {
    Gate gate = new Gate();
    GlobalCommitter<DeltaCommittable> committer = pipelineWithCompaction(c -> new DelegatingClient(c) {
      @Override
      public CommitOutcome commitMaintenance(Snapshot basis, DataActionsProducer actions) {
        gate.pass();
        return super.commitMaintenance(basis, actions);
      }
    });
    // Versions 0 (create) and 1 (lineage), then 2 commits of 12 files: each day's tier of 4
    // files is full, and the compaction commits version 4, which the log checkpoints every 4.
    committer.commit(1, stage(1, 0));
    committer.commit(2, stage(2, 0));
    closeWhileGated(committer, gate);

    assertFalse(gate.interrupted, "closing interrupted the compaction's commit");
    assertEquals(1, sink.dataFileMetrics().compactions(), "the commit finished before close returned");
    Path checkpoint = table.resolve("_delta_log").resolve(String.format("%020d.checkpoint.parquet", 4));
    assertTrue(Files.exists(checkpoint), "the compaction's commit wrote the log checkpoint");
    DeltaTableReader reader = new DeltaTableReader(table.toString());
    assertEquals(3, reader.files().size());
    assertEquals(expectedRows(2, 0), reader.readRows(DeltaSinkTest.SCHEMA));
  }

  @Test
  void closingThePipelineWhileTheCompactionRewritesEndsItWithoutACommitOrItsOutput()
      throws Exception {
    Gate gate = new Gate();
    GlobalCommitter<DeltaCommittable> committer = pipelineWithCompaction(c -> new DelegatingClient(c) {
      @Override
      public Engine engine() {
        return new DataReadGate(real.engine(), gate);
      }
    });
    committer.commit(1, stage(1, 0));
    committer.commit(2, stage(2, 0));
    closeWhileGated(committer, gate);

    assertFalse(gate.interrupted, "closing interrupted the compaction's read");
    assertEquals(0, sink.dataFileMetrics().compactions());
    assertFalse(Files.exists(table.resolve("_delta_log").resolve(String.format("%020d.json", 4))),
        "a compaction told to stop while it rewrites does not commit");
    try (Stream<Path> files = Files.walk(table)) {
      assertEquals(0, files.filter(p -> p.getFileName().toString().startsWith("compacted-")).count(),
          "the stopped compaction deleted what it wrote");
    }
    DeltaTableReader reader = new DeltaTableReader(table.toString());
    assertEquals(12, reader.files().size());
    assertEquals(expectedRows(2, 0), reader.readRows(DeltaSinkTest.SCHEMA));
  }

  /**
   * A pipeline's committer of a table partitioned by {@code day}, whose compaction compacts tiers
   * of 4 small files, whose log is checkpointed every 4 versions, and whose clients are what
   * {@code client} makes of real ones.
   */
  private GlobalCommitter<DeltaCommittable> pipelineWithCompaction(
      java.util.function.Function<TableCommitClient, TableCommitClient> client) throws Exception {
    table = dir.resolve("t");
    TableCommitClientFactory real = TableCommitClientFactory.fileSystem();
    sink = new DeltaSink(
        DeltaSinkConfig.builder(table.toString(), DeltaSinkTest.SCHEMA, "pipe/t")
            .partitionColumns("day")
            .compaction(new DeltaSinkConfig.Compaction(true, 4, TARGET / 2, 1L << 30))
            .checkpointInterval(4)
            .build(),
        config -> client.apply(real.create(config)));
    GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(DeltaSinkTest.COMMITTER);
    committer.discardUncommitted(-1);
    return committer;
  }

  /**
   * Closes {@code committer} once the compaction reached {@code gate}, and opens the gate once the
   * close waits for the compaction (or returned: it did not wait).
   */
  private static void closeWhileGated(GlobalCommitter<DeltaCommittable> committer, Gate gate)
      throws Exception {
    assertTrue(gate.reached.await(60, TimeUnit.SECONDS), "the compaction never reached the gate");
    Thread closer = new Thread(() -> {
      try {
        committer.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "closer");
    closer.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (closer.getState() != Thread.State.TIMED_WAITING
        && closer.getState() != Thread.State.TERMINATED
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    gate.open.countDown();
    closer.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(closer.isAlive(), "close returned");
  }

  /**
   * Holds the compaction's thread the first time it passes, until the test opens it; notes an
   * interrupt. Other threads pass freely.
   */
  private static final class Gate {
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);
    volatile boolean interrupted;

    void pass() {
      if (!Thread.currentThread().getName().startsWith("sluice-compactor-")
          || reached.getCount() == 0) {
        return;
      }
      reached.countDown();
      try {
        if (!open.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the gate never opened");
        }
      } catch (InterruptedException e) {
        interrupted = true;
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted at the gate", e);
      }
    }
  }

  /** An engine whose first read of data files (not of the log) passes {@code gate} first. */
  private static final class DataReadGate extends ForwardingEngine {
    private final Gate gate;

    DataReadGate(Engine real, Gate gate) {
      super(real);
      this.gate = gate;
    }

    @Override
    public ParquetHandler getParquetHandler() {
      return new ForwardingParquetHandler(real.getParquetHandler()) {
        @Override
        public CloseableIterator<FileReadResult> readParquetFiles(
            CloseableIterator<FileStatus> files, StructType schema, Optional<Predicate> predicate)
            throws IOException {
          List<FileStatus> list = new ArrayList<>();
          files.forEachRemaining(list::add);
          files.close();
          if (list.stream().noneMatch(f -> f.getPath().contains("/_delta_log/"))) {
            gate.pass();
          }
          return super.readParquetFiles(
              io.delta.kernel.internal.util.Utils.toCloseableIterator(list.iterator()), schema, predicate);
        }
      };
    }
  }

  /** Whether the pipeline's compaction found nothing more to do: compacted, and no tier full. */
  private boolean settled(DeltaTableReader reader, int minFiles) throws Exception {
    List<CompactionPlanner.File> files = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> f : reader.files()) {
      files.add(new CompactionPlanner.File(f.getKey(), f.getValue(), Files.size(table.resolve(f.getKey()))));
    }
    return sink.dataFileMetrics().compactions() > 0
        && CompactionPlanner.tiered(files, TARGET, TARGET / 2, minFiles).isEmpty();
  }

  private List<Integer> removesPerVersion(long... versions) throws Exception {
    List<Integer> removes = new ArrayList<>();
    for (long v : versions) {
      removes.add((int) Stream.of(actionsOf(v)).filter(a -> a.has("remove")).count());
    }
    return removes;
  }

  private JsonNode[] actionsOf(long version) throws Exception {
    ObjectMapper json = new ObjectMapper();
    return Files.readAllLines(table.resolve("_delta_log").resolve(String.format("%020d.json", version)))
        .stream().map(line -> {
          try {
            return json.readTree(line);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }).toArray(JsonNode[]::new);
  }

  /**
   * Runs a concurrent writer once, between the first maintenance commit's read of the table and
   * its commit (while its actions are produced), so that the commit meets what that writer did;
   * or, {@code beforeCommit}, between the compaction's plan and its commit.
   */
  private static final class Interleaving extends DelegatingClient {
    private ThrowingRunnable writer;
    private final boolean beforeCommit;

    Interleaving(TableCommitClient real, ThrowingRunnable writer) {
      this(real, writer, false);
    }

    Interleaving(TableCommitClient real, ThrowingRunnable writer, boolean beforeCommit) {
      super(real);
      this.writer = writer;
      this.beforeCommit = beforeCommit;
    }

    @Override
    public CommitOutcome commitMaintenance(Snapshot basis, DataActionsProducer actions) {
      if (beforeCommit) {
        runWriter();
        return super.commitMaintenance(basis, actions);
      }
      return super.commitMaintenance(basis, (engine, txnState) -> {
        runWriter();
        return actions.produce(engine, txnState);
      });
    }

    private void runWriter() {
      if (writer != null) {
        try {
          writer.run();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        } finally {
          writer = null;
        }
      }
    }
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
