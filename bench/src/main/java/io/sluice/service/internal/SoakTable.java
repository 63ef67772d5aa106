package io.sluice.service.internal;

import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitClients;
import io.sluice.service.internal.BenchmarkPipeline.DiskUsage;
import io.sluice.service.internal.TableSummary.Totals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A filesystem table and the checkpoint directory of the pipeline writing it, watched from outside
 * by a soak ({@link SoakRun}, {@link ServeSoak}): what they hold at a moment, and the wait until
 * the table holds the rows produced.
 */
final class SoakTable implements AutoCloseable {
  /** A log checkpoint's file (a part of a multi-part one, a V2 one): not its Hadoop checksum. */
  private static final Pattern LOG_CHECKPOINT = Pattern.compile("\\d{20}\\.checkpoint\\..*parquet");

  private final Path table;
  private final Path checkpoints;
  private final TableCommitClient client;

  SoakTable(Path table, Path checkpoints) {
    this.table = table;
    this.checkpoints = checkpoints;
    this.client = TableCommitClients.fileSystem(table.toString(), CommitClientConfig.defaults());
  }

  /**
   * The table and checkpoint directory at one moment: the live data files, bytes and rows of the
   * latest snapshot ({@code unreadable}: why it could not be read, else null), the data files on
   * disk (live, or removed by compaction and not yet vacuumed), the {@code _delta_log} (all of it,
   * its log checkpoints, the latest log checkpoint's bytes) and the checkpoint directory.
   */
  record Figures(Totals totals, String unreadable, DiskUsage dataFiles, DiskUsage log,
      DiskUsage logCheckpoints, long lastLogCheckpointBytes, DiskUsage checkpointDir) {}

  Path path() {
    return table;
  }

  Path log() {
    return table.resolve("_delta_log");
  }

  Figures sample() throws IOException, InterruptedException {
    Totals totals = null;
    String unreadable = null;
    for (int attempt = 1; totals == null; attempt++) {
      try {
        totals = Files.exists(log()) ? totals() : new Totals(-1, 0, 0, 0, true);
      } catch (RuntimeException e) { // e.g. a log file cleaned up while it was read
        if (attempt == 3) {
          unreadable = e.toString();
          totals = new Totals(-1, 0, 0, 0, false);
        } else {
          Thread.sleep(1_000);
        }
      }
    }
    return new Figures(totals, unreadable,
        BenchmarkPipeline.diskUsage(table, BenchmarkPipeline::isDataFile),
        BenchmarkPipeline.diskUsage(log(), p -> true),
        BenchmarkPipeline.diskUsage(log(), p -> p.getFileName().toString().contains(".checkpoint")),
        lastLogCheckpointBytes(), BenchmarkPipeline.diskUsage(checkpoints, p -> true));
  }

  /**
   * Waits, up to {@code timeout} and while {@code writerAlive}, until the table holds {@code rows}
   * rows; returns what it holds then.
   */
  Totals awaitRows(long rows, Duration timeout, BooleanSupplier writerAlive)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Totals totals = totals();
      if (totals.rows() >= rows || System.nanoTime() > deadline || !writerAlive.getAsBoolean()) {
        return totals;
      }
      Thread.sleep(500);
    }
  }

  private Totals totals() throws IOException {
    return TableSummary.totals(client.latestSnapshot(), client.engine());
  }

  /** The bytes of the log's latest checkpoint (all its parts), 0 before the first. */
  private long lastLogCheckpointBytes() throws IOException {
    if (!Files.exists(log())) {
      return 0;
    }
    List<String> names;
    try (Stream<Path> files = Files.list(log())) {
      names = files.map(p -> p.getFileName().toString())
          .filter(name -> LOG_CHECKPOINT.matcher(name).matches()).sorted().toList();
    }
    if (names.isEmpty()) {
      return 0;
    }
    String version = names.get(names.size() - 1).substring(0, 20);
    long bytes = 0;
    for (String name : names) {
      if (name.startsWith(version)) {
        try {
          bytes += Files.size(log().resolve(name));
        } catch (NoSuchFileException cleanedUp) {
          // deleted by the log cleanup meanwhile
        }
      }
    }
    return bytes;
  }

  @Override
  public void close() {
    client.close();
  }
}
