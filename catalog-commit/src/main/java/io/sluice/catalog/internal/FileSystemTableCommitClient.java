package io.sluice.catalog.internal;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.transaction.CreateTableTransactionBuilder;
import io.delta.kernel.types.StructType;
import io.sluice.catalog.CommitClientConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;

/**
 * {@link io.sluice.catalog.TableCommitClient} for filesystem-managed tables: snapshots and
 * create-table transactions carry a {@link PutIfAbsentCommitter}.
 */
public final class FileSystemTableCommitClient extends KernelTableCommitClient {
  private final PutIfAbsentCommitter committer;

  public FileSystemTableCommitClient(
      String tablePath, Configuration hadoopConf, CommitClientConfig config) {
    this(DefaultEngine.create(hadoopConf), tablePath, hadoopConf, config);
  }

  private FileSystemTableCommitClient(
      Engine engine, String tablePath, Configuration hadoopConf, CommitClientConfig config) {
    super(engine, resolve(engine, tablePath), config);
    this.committer = new PutIfAbsentCommitter(hadoopConf);
  }

  private static String resolve(Engine engine, String tablePath) {
    try {
      return engine.getFileSystemClient().resolvePath(tablePath);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve table path " + tablePath, e);
    }
  }

  @Override
  protected Snapshot loadLatestSnapshot() throws TableNotFoundException {
    return TableManager.loadSnapshot(tablePath).withCommitter(committer).build(engine);
  }

  @Override
  protected Snapshot loadSnapshotAt(long version) {
    return TableManager.loadSnapshot(tablePath)
        .atVersion(version)
        .withCommitter(committer)
        .build(engine);
  }

  @Override
  protected CreateTableTransactionBuilder createTableBuilder(StructType schema) {
    return TableManager.buildCreateTableTransaction(tablePath, schema, config.engineInfo())
        .withCommitter(committer);
  }
}
