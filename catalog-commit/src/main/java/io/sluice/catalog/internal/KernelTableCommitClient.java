package io.sluice.catalog.internal;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.commit.CommitFailedException;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.CheckpointAlreadyExistsException;
import io.delta.kernel.exceptions.CommitStateUnknownException;
import io.delta.kernel.exceptions.ConcurrentTransactionException;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.KernelEngineException;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.MaxCommitRetryLimitReachedException;
import io.delta.kernel.exceptions.TableAlreadyExistsException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.transaction.CreateTableTransactionBuilder;
import io.delta.kernel.transaction.DataLayoutSpec;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.CommitOutcome;
import io.sluice.catalog.DataActionsProducer;
import io.sluice.catalog.OpenedTable;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitException;
import io.sluice.catalog.TableDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit protocol shared by every kind of table: read the latest snapshot, refuse duplicate
 * txn versions, build a Kernel update transaction carrying {@code txn(appId, version)}, let the
 * snapshot's {@link io.delta.kernel.commit.Committer} publish it, map Kernel's exceptions to a
 * {@link CommitOutcome}, then run post-commit maintenance.
 *
 * <p>Subclasses decide how a snapshot is loaded (which committer it carries), how a table is
 * created and what maintenance follows a commit: filesystem tables checkpoint, catalog-managed
 * tables will publish ratified commits first.
 */
public abstract class KernelTableCommitClient implements TableCommitClient {
  private static final Logger LOG = LoggerFactory.getLogger(KernelTableCommitClient.class);

  protected final Engine engine;
  protected final String tablePath;
  protected final CommitClientConfig config;

  protected KernelTableCommitClient(Engine engine, String tablePath, CommitClientConfig config) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.tablePath = Objects.requireNonNull(tablePath, "tablePath");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Loads the latest snapshot, with this table's committer attached. */
  protected abstract Snapshot loadLatestSnapshot() throws TableNotFoundException;

  /** Loads the snapshot at {@code version}, with this table's committer attached. */
  protected abstract Snapshot loadSnapshotAt(long version);

  /** A create-table builder for this table, with this table's committer attached. */
  protected abstract CreateTableTransactionBuilder createTableBuilder(StructType schema);

  @Override
  public String tablePath() {
    return tablePath;
  }

  @Override
  public Engine engine() {
    return engine;
  }

  @Override
  public int checkpointInterval() {
    return config.checkpointInterval();
  }

  @Override
  public OpenedTable openOrCreate(TableDefinition definition) {
    Objects.requireNonNull(definition, "definition");
    Optional<Snapshot> existing = tryLoadLatest();
    if (existing.isPresent()) {
      verify(existing.get(), definition);
      return new OpenedTable(tablePath, existing.get().getVersion(), false);
    }
    try {
      DataLayoutSpec layout =
          definition.partitionColumns().isEmpty()
              ? DataLayoutSpec.noDataLayout()
              : DataLayoutSpec.partitioned(
                  definition.partitionColumns().stream().map(Column::new).toList());
      Transaction txn =
          createTableBuilder(definition.schema())
              .withTableProperties(definition.properties())
              .withDataLayoutSpec(layout)
              .withMaxRetries(0)
              .build(engine);
      TransactionCommitResult result = txn.commit(engine, CloseableIterable.emptyIterable());
      runPostCommitHooks(result);
      LOG.info(
          "Created Delta table {} (version {}, partitioned by {})",
          tablePath,
          result.getVersion(),
          definition.partitionColumns());
      return new OpenedTable(tablePath, result.getVersion(), true);
    } catch (RuntimeException e) {
      // Most likely another writer created the table concurrently: use theirs if it matches.
      Optional<Snapshot> raced = tryLoadLatest();
      if (raced.isEmpty()) {
        throw e instanceof TableAlreadyExistsException
            ? e
            : new TableCommitException("could not create Delta table " + tablePath, e);
      }
      LOG.info("Delta table {} was created concurrently; verifying its definition", tablePath);
      verify(raced.get(), definition);
      return new OpenedTable(tablePath, raced.get().getVersion(), false);
    }
  }

  @Override
  public Snapshot latestSnapshot() {
    return requireLatest();
  }

  @Override
  public Optional<Long> latestTransactionVersion(String appId) {
    Objects.requireNonNull(appId, "appId");
    return requireLatest().getLatestTransactionVersion(engine, appId);
  }

  @Override
  public CommitOutcome commit(String appId, long txnVersion, DataActionsProducer actions) {
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(actions, "actions");
    if (txnVersion < 0) {
      throw new IllegalArgumentException("txn version must be >= 0: " + txnVersion);
    }
    Snapshot snapshot = requireLatest();
    Optional<Long> recorded = snapshot.getLatestTransactionVersion(engine, appId);
    if (recorded.isPresent() && recorded.get() >= txnVersion) {
      return new CommitOutcome.AlreadyCommitted(recorded.get());
    }

    Transaction txn;
    try {
      txn =
          snapshot
              .buildUpdateTableTransaction(config.engineInfo(), Operation.STREAMING_UPDATE)
              .withTransactionId(appId, txnVersion)
              .withMaxRetries(config.maxConflictRebases())
              .build(engine);
    } catch (ConcurrentTransactionException e) {
      return alreadyCommittedOrConflict(appId, txnVersion, e);
    }

    CloseableIterable<Row> dataActions;
    try {
      dataActions = actions.produce(engine, txn.getTransactionState(engine));
    } catch (IOException | RuntimeException e) {
      // Nothing was published: a definitive failure, never "state unknown".
      throw new TableCommitException(
          "producing the data actions of txn("
              + appId
              + ", "
              + txnVersion
              + ") for "
              + tablePath
              + " failed; nothing was published: "
              + e,
          e);
    }

    TransactionCommitResult result;
    try {
      result = txn.commit(engine, dataActions);
    } catch (ConcurrentTransactionException e) {
      // A rebase found a winning commit with this appId and a version >= ours.
      return alreadyCommittedOrConflict(appId, txnVersion, e);
    } catch (CommitStateUnknownException e) {
      return new CommitOutcome.StateUnknown(e);
    } catch (MaxCommitRetryLimitReachedException e) {
      CommitFailedException cfe = findCause(e, CommitFailedException.class);
      if (cfe != null && cfe.isConflict()) {
        return new CommitOutcome.ConflictRetryable(
            "gave up rebasing after " + config.maxConflictRebases() + " conflicts: " + e.getMessage());
      }
      // Repeated transient failures while publishing: an attempt may have landed.
      return new CommitOutcome.StateUnknown(e);
    } catch (ConcurrentWriteException e) {
      // Metadata/protocol changed or another logical conflict: rebuild from the latest state.
      return new CommitOutcome.ConflictRetryable(e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (KernelEngineException | UncheckedIOException e) {
      return new CommitOutcome.StateUnknown(e);
    } catch (KernelException e) {
      // Kernel validated the transaction and refused it before publishing.
      throw new TableCommitException("Delta commit to " + tablePath + " was refused", e);
    } catch (RuntimeException e) {
      CommitFailedException cfe = findCause(e, CommitFailedException.class);
      if (cfe != null && !cfe.isRetryable()) {
        if (cfe.isConflict()) {
          return new CommitOutcome.ConflictRetryable(cfe.getMessage());
        }
        throw new TableCommitException(
            "Delta commit to " + tablePath + " failed permanently: " + cfe.getMessage(), e);
      }
      return new CommitOutcome.StateUnknown(e);
    } finally {
      try {
        dataActions.close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("Closing the data actions failed: {}", e.toString());
      }
    }

    long version = result.getVersion();
    LOG.debug("Committed {} version {} with txn({}, {})", tablePath, version, appId, txnVersion);
    afterCommit(result);
    return new CommitOutcome.Committed(version);
  }

  private CommitOutcome alreadyCommittedOrConflict(
      String appId, long txnVersion, ConcurrentTransactionException e) {
    Optional<Long> now;
    try {
      now = requireLatest().getLatestTransactionVersion(engine, appId);
    } catch (RuntimeException reread) {
      e.addSuppressed(reread);
      return new CommitOutcome.StateUnknown(e);
    }
    if (now.isPresent() && now.get() >= txnVersion) {
      return new CommitOutcome.AlreadyCommitted(now.get());
    }
    return new CommitOutcome.ConflictRetryable(e.getMessage());
  }

  /**
   * Table maintenance after a data commit: Kernel's cheap post-commit hooks, then a log checkpoint
   * every {@link #checkpointInterval()} versions. Catalog-managed tables will publish ratified
   * commits before checkpointing. Failures are logged, never thrown: the commit already landed.
   */
  protected void afterCommit(TransactionCommitResult result) {
    runPostCommitHooks(result);
    maybeCheckpoint(result);
  }

  /** Runs Kernel's cheap post-commit hooks; checkpoints follow this client's own interval. */
  protected final void runPostCommitHooks(TransactionCommitResult result) {
    for (PostCommitHook hook : result.getPostCommitHooks()) {
      PostCommitHook.PostCommitHookType type = hook.getType();
      if (type == PostCommitHook.PostCommitHookType.CHECKPOINT
          || type == PostCommitHook.PostCommitHookType.CHECKSUM_FULL) {
        continue; // checkpoints: maybeCheckpoint; full checksums replay the log (too costly here)
      }
      try {
        hook.threadSafeInvoke(engine);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Post-commit hook {} failed for {}: {}", type, tablePath, e.toString());
      }
    }
  }

  protected final void maybeCheckpoint(TransactionCommitResult result) {
    int interval = config.checkpointInterval();
    long version = result.getVersion();
    if (interval <= 0 || version <= 0 || version % interval != 0) {
      return;
    }
    try {
      Snapshot snapshot = result.getPostCommitSnapshot().orElseGet(() -> loadSnapshotAt(version));
      snapshot.writeCheckpoint(engine);
      LOG.info("Wrote Delta log checkpoint of {} at version {}", tablePath, version);
    } catch (CheckpointAlreadyExistsException e) {
      LOG.debug("Checkpoint of {} at version {} already exists", tablePath, version);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Checkpoint of {} at version {} failed: {}", tablePath, version, e.toString());
    }
  }

  private void verify(Snapshot snapshot, TableDefinition definition) {
    TableDefinitionVerifier.verify(
        tablePath,
        snapshot.getSchema(),
        snapshot.getPartitionColumnNames(),
        snapshot.getTableProperties(),
        definition);
  }

  private Optional<Snapshot> tryLoadLatest() {
    try {
      return Optional.of(loadLatestSnapshot());
    } catch (TableNotFoundException e) {
      return Optional.empty();
    }
  }

  private Snapshot requireLatest() {
    try {
      return loadLatestSnapshot();
    } catch (TableNotFoundException e) {
      throw new TableCommitException(
          "Delta table " + tablePath + " does not exist; call openOrCreate first", e);
    }
  }

  private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
