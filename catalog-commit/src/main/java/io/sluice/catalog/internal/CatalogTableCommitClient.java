package io.sluice.catalog.internal;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentTransactionException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.transaction.CreateTableTransactionBuilder;
import io.delta.kernel.transaction.DataLayoutSpec;
import io.delta.kernel.transaction.UpdateTableTransactionBuilder;
import io.delta.kernel.utils.CloseableIterable;
import io.sluice.catalog.AppTransaction;
import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.CommitOutcome;
import io.sluice.catalog.DataActionsProducer;
import io.sluice.catalog.OpenedTable;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitException;
import io.sluice.catalog.TableDefinition;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit protocol shared by every catalog: load the latest snapshot through the catalog,
 * refuse another lineage and duplicate txn versions, build a Kernel update transaction carrying
 * {@code txn(appId, version)} and the lineage's domain metadata, let the snapshot's committer
 * (chosen by the {@link DeltaCatalog}) ratify it, map Kernel's exceptions to a {@link
 * CommitOutcome}, then publish and maintain through the catalog.
 */
public final class CatalogTableCommitClient implements TableCommitClient {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogTableCommitClient.class);

  /** The domain metadata that records an appId's lineage: {@code sluice.lineage/<appId>}. */
  static final String LINEAGE_DOMAIN_PREFIX = "sluice.lineage/";

  /** Enables the {@code domainMetadata} writer feature, which lineages are recorded with. */
  static final Map<String, String> DOMAIN_METADATA_FEATURE =
      Map.of("delta.feature.domainMetadata", "supported");

  private static final int MAX_CLAIM_ATTEMPTS = 5;

  private final DeltaCatalog catalog;
  private final String tableName;
  private final Engine engine;
  private final CommitClientConfig config;
  private volatile CatalogTable table;

  public CatalogTableCommitClient(
      DeltaCatalog catalog, String tableName, Engine engine, CommitClientConfig config) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.tableName = Objects.requireNonNull(tableName, "tableName");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public String tableName() {
    return tableName;
  }

  @Override
  public String storageLocation() {
    return table().storageLocation();
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
  public Optional<OpenedTable> open(TableDefinition definition) {
    Objects.requireNonNull(definition, "definition");
    return tryLoadLatest().map(snapshot -> opened(snapshot, definition));
  }

  @Override
  public OpenedTable openOrCreate(TableDefinition definition) {
    Optional<OpenedTable> existing = open(definition);
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      CatalogTable created = catalog.create(engine, tableName, definition);
      table = created;
      LOG.info(
          "Created Delta table {} at {} (partitioned by {})",
          tableName, created.storageLocation(), definition.partitionColumns());
      return new OpenedTable(created.storageLocation(), 0, true);
    } catch (RuntimeException e) {
      // Most likely another writer created the table concurrently: use theirs if it matches.
      Optional<Snapshot> raced = tryLoadLatest();
      if (raced.isEmpty()) {
        throw e instanceof TableCommitException tce
            ? tce
            : new TableCommitException(
                "could not create Delta table " + tableName + " in " + catalog.description(), e);
      }
      LOG.info("Delta table {} was created concurrently; verifying its definition", tableName);
      return opened(raced.get(), definition);
    }
  }

  private OpenedTable opened(Snapshot snapshot, TableDefinition definition) {
    TableDefinitionVerifier.verify(
        tableName,
        snapshot.getSchema(),
        snapshot.getPartitionColumnNames(),
        snapshot.getTableProperties(),
        definition);
    // A writer that died between ratification and publishing left commits only the catalog has.
    Snapshot published = publishQuietly(table(), snapshot);
    return new OpenedTable(table().storageLocation(), published.getVersion(), false);
  }

  @Override
  public Snapshot latestSnapshot() {
    return requireLatest(new CommitTimer());
  }

  @Override
  public AppTransaction transaction(String appId) {
    Objects.requireNonNull(appId, "appId");
    return transactionOf(latestSnapshot(), appId);
  }

  private AppTransaction transactionOf(Snapshot snapshot, String appId) {
    return new AppTransaction(
        appId,
        snapshot.getLatestTransactionVersion(engine, appId),
        snapshot.getDomainMetadata(LINEAGE_DOMAIN_PREFIX + appId));
  }

  @Override
  public CommitOutcome commit(
      String appId, String lineage, long txnVersion, DataActionsProducer actions) {
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(lineage, "lineage");
    Objects.requireNonNull(actions, "actions");
    if (txnVersion < 0) {
      throw new IllegalArgumentException("txn version must be >= 0: " + txnVersion);
    }
    return commit(Optional.of(new Txn(appId, lineage, txnVersion)), Optional.empty(), actions);
  }

  @Override
  public CommitOutcome commitMaintenance(Snapshot basis, DataActionsProducer actions) {
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(actions, "actions");
    maintenanceRefusal().ifPresent(reason -> {
      throw new TableCommitException("cannot maintain " + this + ": " + reason);
    });
    return commit(Optional.empty(), Optional.of(basis), actions);
  }

  @Override
  public Optional<String> maintenanceRefusal() {
    return catalog.maintenanceRefusal();
  }

  @Override
  public Map<String, Long> transactionVersions() {
    return KernelInternals.transactionVersions(engine, latestSnapshot());
  }

  /** The txn identifier a data commit carries, and the lineage it records for the appId. */
  private record Txn(String appId, String lineage, long version) {
    @Override
    public String toString() {
      return "txn(" + appId + ", " + version + ")";
    }
  }

  /**
   * A commit tagged with {@code txn}, or a maintenance commit without one, built on {@code basis}
   * or else on the latest snapshot. A removal since the snapshot it is built on, of a file it
   * removes, is a conflict in Kernel; one before would go unseen, hence the basis of a change
   * planned earlier.
   */
  private CommitOutcome commit(
      Optional<Txn> txnId, Optional<Snapshot> basis, DataActionsProducer actions) {
    String what = txnId.map(Txn::toString).orElse("a maintenance commit");
    long start = System.nanoTime();
    CommitTimer timer = new CommitTimer();
    Snapshot snapshot = basis.isPresent() ? basis.get() : requireLatest(timer);
    if (txnId.isPresent()) {
      Txn id = txnId.get();
      AppTransaction recorded = transactionOf(snapshot, id.appId());
      recorded.checkLineage(toString(), id.lineage());
      if (recorded.version().isPresent() && recorded.version().get() >= id.version()) {
        publishQuietly(table(), snapshot);
        return new CommitOutcome.AlreadyCommitted(recorded.version().get());
      }
    }

    Transaction txn;
    try {
      UpdateTableTransactionBuilder builder =
          updateTransaction(
              snapshot, txnId.isPresent() ? Operation.STREAMING_UPDATE : Operation.MANUAL_UPDATE);
      if (txnId.isPresent()) {
        builder = builder.withTransactionId(txnId.get().appId(), txnId.get().version());
      }
      txn = builder.build(engine);
    } catch (ConcurrentTransactionException e) {
      return alreadyCommittedOrConflict(txnId.orElseThrow(), e);
    }
    if (txnId.isPresent()) {
      txn.addDomainMetadata(LINEAGE_DOMAIN_PREFIX + txnId.get().appId(), txnId.get().lineage());
    }

    CloseableIterable<Row> dataActions;
    try {
      dataActions = actions.produce(engine, txn.getTransactionState(engine));
    } catch (IOException | RuntimeException e) {
      // Nothing was published: a definitive failure, never "state unknown".
      throw new TableCommitException(
          "producing the data actions of " + what + " for " + tableName
              + " failed; nothing was published: " + e,
          e);
    }

    TransactionCommitResult result;
    long commitStart = System.nanoTime();
    try {
      result = txn.commit(engine, dataActions);
    } catch (ConcurrentTransactionException e) {
      // A rebase found a winning commit with this appId and a version >= ours.
      return alreadyCommittedOrConflict(txnId.orElseThrow(), e);
    } catch (RuntimeException e) {
      return KernelCommitFailures.outcomeOf(e, tableName, config.maxConflictRebases());
    } finally {
      timer.addKernelCommit(System.nanoTime() - commitStart);
      try {
        dataActions.close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("Closing the data actions failed: {}", e.toString());
      }
    }

    long version = result.getVersion();
    if (version > snapshot.getVersion() + 1) {
      LOG.info("{} to {} was rebased over {} concurrent commits (read version {}, committed {})",
          what, tableName, version - snapshot.getVersion() - 1, snapshot.getVersion(), version);
    }
    afterCommit(result, timer);
    CommitOutcome.Committed committed =
        new CommitOutcome.Committed(version, timer.latency(System.nanoTime() - start));
    LOG.debug("Committed {} version {} with {}: {}", tableName, version, what, committed.latency());
    return committed;
  }

  @Override
  public AppTransaction claimLineage(String appId, String lineage) {
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(lineage, "lineage");
    for (int attempt = 1; ; attempt++) {
      Snapshot snapshot = requireLatest(new CommitTimer());
      AppTransaction recorded = transactionOf(snapshot, appId);
      recorded.checkLineage(toString(), lineage);
      if (recorded.lineage().isPresent()) {
        return recorded;
      }
      // A commit of only the lineage's domain metadata: two claims of one appId conflict in
      // Kernel (same domain), so exactly one lineage wins; the loser sees it on the next look.
      Transaction txn = updateTransaction(snapshot, Operation.STREAMING_UPDATE).build(engine);
      txn.addDomainMetadata(LINEAGE_DOMAIN_PREFIX + appId, lineage);
      try {
        TransactionCommitResult result = txn.commit(engine, CloseableIterable.emptyIterable());
        afterCommit(result, new CommitTimer());
        LOG.info(
            "Recorded lineage {} of {} in {} (version {})",
            lineage, appId, this, result.getVersion());
        return new AppTransaction(appId, recorded.version(), Optional.of(lineage));
      } catch (RuntimeException e) {
        // Throws when nothing was published and trying again cannot help.
        CommitOutcome outcome =
            KernelCommitFailures.outcomeOf(e, tableName, config.maxConflictRebases());
        if (attempt >= MAX_CLAIM_ATTEMPTS) {
          throw new TableCommitException(
              "could not record lineage " + lineage + " of " + appId + " in " + this + ": "
                  + outcome,
              e);
        }
        LOG.debug(
            "Recording lineage {} of {} in {}: {}; looking again", lineage, appId, this, outcome);
      }
    }
  }

  /** A table update that keeps (or, for a table created before lineages, enables) them. */
  private UpdateTableTransactionBuilder updateTransaction(Snapshot snapshot, Operation operation) {
    UpdateTableTransactionBuilder builder =
        snapshot
            .buildUpdateTableTransaction(config.engineInfo(), operation)
            .withMaxRetries(config.maxConflictRebases());
    if (!KernelInternals.supportsDomainMetadata(snapshot)) {
      LOG.info("Enabling the domainMetadata table feature of {} to record lineages", this);
      builder = builder.withTablePropertiesAdded(DOMAIN_METADATA_FEATURE);
    }
    return builder;
  }

  /** Publishing and maintenance after a data commit. The commit already landed: never throws. */
  private void afterCommit(TransactionCommitResult result, CommitTimer timer) {
    CatalogTable t = table();
    long start = System.nanoTime();
    Snapshot published;
    try {
      // Kernel builds no post-commit snapshot after a rebase: reload through the catalog.
      Snapshot committed =
          result.getPostCommitSnapshot().orElseGet(() -> requireLatest(new CommitTimer()));
      published = catalog.publish(engine, t, committed);
    } catch (RuntimeException e) {
      LOG.warn(
          "Publishing version {} of {} failed (the next commit or restart publishes it): {}",
          result.getVersion(), tableName, e.toString());
      return;
    } finally {
      timer.addPublishing(System.nanoTime() - start);
    }
    catalog.maintain(engine, t, result, published, config.checkpointInterval());
  }

  private Snapshot publishQuietly(CatalogTable t, Snapshot snapshot) {
    try {
      return catalog.publish(engine, t, snapshot);
    } catch (RuntimeException e) {
      LOG.warn("Publishing the ratified commits of {} failed: {}", tableName, e.toString());
      return snapshot;
    }
  }

  private CommitOutcome alreadyCommittedOrConflict(Txn txn, ConcurrentTransactionException e) {
    AppTransaction recorded;
    try {
      recorded = transaction(txn.appId());
    } catch (RuntimeException reread) {
      e.addSuppressed(reread);
      return new CommitOutcome.StateUnknown(e);
    }
    // The winner may be another lineage of the appId: its txn version names other data.
    recorded.checkLineage(toString(), txn.lineage());
    Optional<Long> now = recorded.version();
    if (now.isPresent() && now.get() >= txn.version()) {
      return new CommitOutcome.AlreadyCommitted(now.get());
    }
    return new CommitOutcome.ConflictRetryable(e.getMessage());
  }

  private CatalogTable table() {
    CatalogTable t = table;
    if (t == null) {
      t =
          catalog
              .resolve(engine, tableName)
              .orElseThrow(
                  () ->
                      new TableCommitException(
                          "Delta table " + tableName + " does not exist in " + catalog.description()));
      table = t;
    }
    return t;
  }

  private Optional<Snapshot> tryLoadLatest() {
    Optional<CatalogTable> t =
        table != null ? Optional.of(table) : catalog.resolve(engine, tableName);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    table = t.get();
    try {
      return Optional.of(catalog.loadLatest(engine, t.get(), new CommitTimer()));
    } catch (TableNotFoundException e) {
      return Optional.empty();
    }
  }

  private Snapshot requireLatest(CommitTimer timer) {
    try {
      return catalog.loadLatest(engine, table(), timer);
    } catch (TableNotFoundException e) {
      throw new TableCommitException(
          "Delta table " + tableName + " does not exist in " + catalog.description(), e);
    }
  }

  /** Commits version 0 of a new table from {@code definition} with a catalog's create builder. */
  static TransactionCommitResult createVersionZero(
      Engine engine, CreateTableTransactionBuilder builder, TableDefinition definition) {
    DataLayoutSpec layout =
        definition.partitionColumns().isEmpty()
            ? DataLayoutSpec.noDataLayout()
            : DataLayoutSpec.partitioned(
                definition.partitionColumns().stream().map(Column::new).toList());
    Map<String, String> properties = new HashMap<>(definition.properties());
    properties.putAll(DOMAIN_METADATA_FEATURE);
    return builder
        .withTableProperties(properties)
        .withDataLayoutSpec(layout)
        .withMaxRetries(0)
        .build(engine)
        .commit(engine, CloseableIterable.emptyIterable());
  }

  /** For logs: {@code main.events.clicks in Unity Catalog at https://uc.example.com}. */
  @Override
  public String toString() {
    return tableName + " in " + catalog.description();
  }

  @Override
  public void close() {
    catalog.close();
  }
}
