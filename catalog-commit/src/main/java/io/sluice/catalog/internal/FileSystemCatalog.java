package io.sluice.catalog.internal;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.hook.PostCommitHook;
import io.sluice.catalog.TableDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file system as the catalog: a table is its path, and a version is ratified and published at
 * once by the put-if-absent of {@code _delta_log/<N>.json} ({@link PutIfAbsentCommitter}). The
 * table is the writers' to maintain: after each log checkpoint, expired log files are deleted
 * ({@link LogCleanup}).
 */
public final class FileSystemCatalog implements DeltaCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(FileSystemCatalog.class);

  private final Configuration hadoopConf;
  private final String engineInfo;

  public FileSystemCatalog(Configuration hadoopConf, String engineInfo) {
    this.hadoopConf = hadoopConf;
    this.engineInfo = engineInfo;
  }

  @Override
  public String description() {
    return "the file system";
  }

  @Override
  public Optional<CatalogTable> resolve(Engine engine, String name) {
    try {
      return Optional.of(
          new CatalogTable(name, engine.getFileSystemClient().resolvePath(name), ""));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve table path " + name, e);
    }
  }

  @Override
  public Optional<String> maintenanceRefusal() {
    return Optional.empty();
  }

  @Override
  public CatalogTable create(Engine engine, String name, TableDefinition definition) {
    CatalogTable table = resolve(engine, name).orElseThrow();
    TransactionCommitResult result =
        CatalogTableCommitClient.createVersionZero(
            engine,
            TableManager.buildCreateTableTransaction(
                    table.storageLocation(), definition.schema(), engineInfo)
                .withCommitter(new PutIfAbsentCommitter(hadoopConf)),
            definition);
    runCheapHooks(engine, table, result);
    return table;
  }

  @Override
  public Snapshot loadLatest(Engine engine, CatalogTable table, CommitTimer timer)
      throws TableNotFoundException {
    return TableManager.loadSnapshot(table.storageLocation())
        .withCommitter(new PutIfAbsentCommitter(hadoopConf, timer))
        .build(engine);
  }

  @Override
  public Snapshot publish(Engine engine, CatalogTable table, Snapshot snapshot) {
    return snapshot; // put-if-absent published the version when it ratified it
  }

  @Override
  public void maintain(
      Engine engine,
      CatalogTable table,
      TransactionCommitResult result,
      Snapshot published,
      int logCheckpointInterval) {
    runCheapHooks(engine, table, result);
    if (LogCheckpoints.writeIfDue(engine, table.name(), published, logCheckpointInterval)) {
      LogCleanup.afterCheckpoint(engine, table.name(), published);
    }
  }

  /** Kernel's cheap post-commit hooks; checkpoints follow the client's own interval. */
  private static void runCheapHooks(
      Engine engine, CatalogTable table, TransactionCommitResult result) {
    for (PostCommitHook hook : result.getPostCommitHooks()) {
      PostCommitHook.PostCommitHookType type = hook.getType();
      if (type == PostCommitHook.PostCommitHookType.CHECKPOINT
          || type == PostCommitHook.PostCommitHookType.CHECKSUM_FULL) {
        continue; // checkpoints: maintain; full checksums replay the log (too costly here)
      }
      try {
        hook.threadSafeInvoke(engine);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Post-commit hook {} failed for {}: {}", type, table.name(), e.toString());
      }
    }
  }

  @Override
  public void close() {}
}
