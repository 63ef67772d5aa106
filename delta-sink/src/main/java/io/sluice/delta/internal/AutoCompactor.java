package io.sluice.delta.internal;

import io.sluice.catalog.TableCommitClient;
import io.sluice.delta.CompactionResult;
import io.sluice.delta.DataFileMetrics;
import io.sluice.delta.DeltaSinkConfig;
import io.sluice.delta.TableCommitClientFactory;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's compaction while the pipeline runs, on a thread of its own: each commit of a
 * checkpoint wakes it, and it compacts the tiers that gathered enough small files ({@link
 * CompactionPlanner#tiered}), up to the configured bytes per commit. The committer only signals,
 * so a compaction never delays a checkpoint's commit; Kernel rebases the two kinds of commits over
 * each other. A failed round is logged and retried after the next commit: compaction never fails
 * the pipeline. Off for tables whose catalog does not permit it.
 *
 * <p>{@link #close} stops it without interrupting its thread: a round that is rewriting ends at
 * its next batch and deletes its output; a round that is committing finishes its commit and the
 * log maintenance after it. An interrupt there would fail Kernel's log checkpoint midway, and
 * Kernel's Parquet writer publishes what it wrote when it fails: a partial {@code
 * N.checkpoint.parquet} that breaks (or misleads) every reader of the table.
 */
final class AutoCompactor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutoCompactor.class);

  private final DeltaSinkConfig config;
  private final TableCommitClient client;
  private final Compactor compactor;
  private final DataFileMetrics metrics;
  private final BlockingQueue<Boolean> wakeUps = new ArrayBlockingQueue<>(1);
  private final Thread thread;
  private volatile boolean closing;

  private AutoCompactor(
      DeltaSinkConfig config, TableCommitClient client, Configuration conf, DataFileMetrics metrics) {
    this.config = config;
    this.client = client;
    this.metrics = metrics;
    this.compactor =
        new Compactor(
            client,
            conf,
            config.targetFileSizeBytes(),
            config.parquetRowGroupSizeBytes(),
            () -> closing);
    this.thread = new Thread(this::run, "sluice-compactor-" + config.appId());
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The compaction of the sink's table, through a client of its own, unless the sink disables it
   * or {@code committerClient} says the table's catalog does not permit it.
   */
  static Optional<AutoCompactor> start(
      DeltaSinkConfig config,
      TableCommitClient committerClient,
      TableCommitClientFactory clients,
      Configuration conf,
      DataFileMetrics metrics) {
    if (!config.compaction().enabled()) {
      return Optional.empty();
    }
    Optional<String> refusal = committerClient.maintenanceRefusal();
    if (refusal.isPresent()) {
      LOG.info("No compaction of {}: {}", committerClient, refusal.get());
      return Optional.empty();
    }
    return Optional.of(new AutoCompactor(config, clients.create(config), conf, metrics));
  }

  /** Wakes the compaction after a commit; never blocks (wake-ups while it runs coalesce). */
  void committed() {
    wakeUps.offer(Boolean.TRUE);
  }

  private void run() {
    DeltaSinkConfig.Compaction settings = config.compaction();
    Compactor.Plan plan =
        files ->
            CompactionPlanner.withinBudget(
                CompactionPlanner.tiered(
                    files,
                    config.targetFileSizeBytes(),
                    settings.smallFileSizeBytes(),
                    settings.minFiles()),
                settings.maxBytes());
    try {
      while (true) {
        wakeUps.take();
        if (closing) {
          return;
        }
        try {
          CompactionResult result = compactor.round(plan, partition -> true);
          metrics.compacted(result);
          if (result.compacted()) {
            LOG.info(
                "Compacted {} small files ({} bytes) of {} into {} as version {}",
                result.filesRemoved(), result.bytesRemoved(), client, result.filesAdded(),
                result.tableVersion().getAsLong());
          }
        } catch (RuntimeException | IOException e) {
          if (closing) {
            return; // e.g. the CancellationException of a round closed while it rewrote
          }
          LOG.warn("Compaction of {} failed (retried after the next commit): {}", client, e.toString());
        }
      }
    } catch (InterruptedException e) {
      // nothing interrupts this thread; if something does, it stops as if closed
    }
  }

  /**
   * Stops the compaction and waits for it: a round that is rewriting ends and deletes its output,
   * a round that is committing finishes (never interrupted; see the class comment).
   */
  @Override
  public void close() {
    closing = true;
    wakeUps.offer(Boolean.TRUE); // wakes the thread if it waits; otherwise it sees closing next
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("Compaction of {} still runs 10 s after it was told to stop", client);
    }
    client.close();
  }
}
