package io.sluice.catalog.internal;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.commit.PublishFailedException;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.unitycatalog.UCCatalogManagedClient;
import io.delta.kernel.unitycatalog.UCTableIdentifier;
import io.delta.storage.commit.uccommitcoordinator.UCClient;
import io.delta.storage.commit.uccommitcoordinator.UCCommitCoordinatorException;
import io.delta.storage.commit.uccommitcoordinator.UCTokenBasedRestClient;
import io.sluice.catalog.CatalogRequestRefusedException;
import io.sluice.catalog.TableCommitException;
import io.sluice.catalog.TableDefinition;
import io.sluice.catalog.UnityCatalogConfig;
import io.unitycatalog.client.ApiClientBuilder;
import io.unitycatalog.client.ApiException;
import io.unitycatalog.client.api.TablesApi;
import io.unitycatalog.client.auth.TokenProvider;
import io.unitycatalog.client.model.CreateStagingTable;
import io.unitycatalog.client.model.DataSourceFormat;
import io.unitycatalog.client.model.StagingTableInfo;
import io.unitycatalog.client.model.TableInfo;
import io.unitycatalog.client.model.TableType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unity Catalog as the catalog of {@code catalogManaged} Delta tables, named {@code
 * catalog.schema.table}, over UC's REST API (the UC SDK and delta-storage's {@code
 * UCTokenBasedRestClient}) and {@code delta-kernel-unitycatalog}:
 *
 * <ul>
 *   <li>create: a staging table gives the table's id and storage location; Kernel writes version 0
 *       there with the {@code catalogManaged} feature and registers the table as MANAGED;
 *   <li>load: the catalog's ratified commits and latest version go into the Kernel snapshot, whose
 *       {@code UCCatalogManagedCommitter} writes each commit to {@code
 *       _delta_log/_staged_commits/} and asks the catalog to ratify it, through {@link
 *       ResendingUCClient};
 *   <li>publish: ratified commits are copied to {@code _delta_log/<N>.json} in order, then the
 *       published version is reported so the catalog forgets them;
 *   <li>maintain: a checksum and, every N versions, a log checkpoint, on published versions only;
 *       none of Kernel's path-based post-commit hooks run on these tables. Nothing else: the Delta
 *       protocol ("Maintenance Operations on Catalog-managed Tables") prohibits other maintenance
 *       (metadata cleanup, VACUUM, OPTIMIZE) unless the managing catalog permits it, and Unity
 *       Catalog's API has no such permission ({@link #maintenanceRefusal}).
 * </ul>
 */
public final class UnityCatalog implements DeltaCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(UnityCatalog.class);

  private final String description;
  private final UCClient restClient;
  private final TablesApi tables;
  private final Configuration hadoopConf;
  private final String engineInfo;

  /**
   * A catalog over {@code restClient} (commits) and {@code tables} (names, creation); tests pass a
   * wrapped REST client to stop a writer at a chosen point.
   */
  public UnityCatalog(
      URI uri, UCClient restClient, TablesApi tables, Configuration hadoopConf, String engineInfo) {
    this.description = "Unity Catalog at " + uri;
    this.restClient = restClient;
    this.tables = tables;
    this.hadoopConf = hadoopConf;
    this.engineInfo = engineInfo;
  }

  /** A catalog reached with {@code config}'s URI and bearer token. */
  public static UnityCatalog connect(
      UnityCatalogConfig config, Configuration hadoopConf, String engineInfo) {
    TokenProvider token = TokenProvider.create(Map.of("type", "static", "token", config.token()));
    return new UnityCatalog(
        config.uri(),
        new UCTokenBasedRestClient(config.uri().toString(), token, Map.of()),
        new TablesApi(ApiClientBuilder.create().uri(config.uri()).tokenProvider(token).build()),
        hadoopConf,
        engineInfo);
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public Optional<CatalogTable> resolve(Engine engine, String name) {
    identifier(name);
    TableInfo info;
    try {
      info = tables.getTable(name, null, null);
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw failure(e, "could not look up table " + name);
    }
    if (info.getTableType() != TableType.MANAGED
        || info.getDataSourceFormat() != DataSourceFormat.DELTA) {
      throw new TableCommitException(
          "table " + name + " in " + description + " is " + info.getTableType() + " "
              + info.getDataSourceFormat() + ", not a managed Delta table");
    }
    return Optional.of(new CatalogTable(name, info.getStorageLocation(), info.getTableId()));
  }

  @Override
  public Optional<String> maintenanceRefusal() {
    return Optional.of("it is a catalog-managed table, and the Delta protocol leaves maintenance"
        + " other than checkpoints and checksums (compaction, vacuum, log cleanup) to its catalog"
        + " unless the catalog permits clients to run it, which Unity Catalog's API cannot");
  }

  @Override
  public CatalogTable create(Engine engine, String name, TableDefinition definition) {
    UCTableIdentifier id = identifier(name);
    StagingTableInfo staging;
    try {
      staging =
          tables.createStagingTable(
              new CreateStagingTable()
                  .catalogName(id.getCatalogName())
                  .schemaName(id.getSchemaName())
                  .name(id.getTableName()));
    } catch (ApiException e) {
      throw failure(e, "refused to create table " + name);
    }
    CatalogTable staged = new CatalogTable(name, staging.getStagingLocation(), staging.getId());
    try {
      TransactionCommitResult result =
          CatalogTableCommitClient.createVersionZero(
              engine,
              new UCCatalogManagedClient(commitsClient(engine, staged, new CommitTimer()))
                  .buildCreateTableTransaction(
                      staging.getId(), staging.getStagingLocation(), definition.schema(), engineInfo, id),
              definition);
      writeChecksum(engine, staged, result, 0); // version 0 is written published
    } catch (RuntimeException e) {
      // The catalog may have registered the table although its answer was lost.
      Optional<CatalogTable> registered = resolve(engine, name);
      if (registered.isEmpty() || !registered.get().catalogTableId().equals(staging.getId())) {
        throw e;
      }
    }
    return resolve(engine, name)
        .orElseThrow(() -> new TableCommitException(description + " did not register " + name));
  }

  @Override
  public Snapshot loadLatest(Engine engine, CatalogTable table, CommitTimer timer)
      throws TableNotFoundException {
    Snapshot snapshot = load(engine, table, commitsClient(engine, table, timer));
    if (!KernelInternals.isCatalogManaged(snapshot)) {
      throw new TableCommitException(
          "table " + table.name() + " in " + description
              + " lacks the catalogManaged table feature: its commits would bypass the catalog");
    }
    return snapshot;
  }

  private Snapshot load(Engine engine, CatalogTable table, UCClient client) {
    return new UCCatalogManagedClient(client)
        .loadSnapshot(
            engine,
            table.catalogTableId(),
            table.storageLocation(),
            identifier(table.name()),
            Optional.empty(),
            Optional.empty());
  }

  @Override
  public Snapshot publish(Engine engine, CatalogTable table, Snapshot snapshot) {
    if (!KernelInternals.hasCatalogCommits(snapshot)) {
      return snapshot;
    }
    Snapshot published;
    try {
      published = snapshot.publish(engine);
    } catch (PublishFailedException e) {
      throw new UncheckedIOException(new IOException(e.getMessage(), e));
    }
    String log = new Path(new Path(table.storageLocation()), "_delta_log").toString();
    for (long version : KernelInternals.catalogCommitVersions(snapshot)) {
      LocalDurability.sync(log + String.format("/%020d.json", version));
    }
    reportPublished(table, published.getVersion());
    return published;
  }

  /** Tells the catalog that every version up to {@code version} is in {@code _delta_log}. */
  private void reportPublished(CatalogTable table, long version) {
    try {
      restClient.commit(
          table.catalogTableId(),
          new Path(table.storageLocation()).toUri(),
          null,
          Optional.empty(),
          Optional.of(version),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of(),
          Optional.empty());
    } catch (IOException | io.delta.storage.commit.CommitFailedException | UCCommitCoordinatorException e) {
      int status = ResendingUCClient.httpStatus(e);
      if (ResendingUCClient.isRefusal(status)) {
        throw new CatalogRequestRefusedException(
            status, description + " refused the report of published version " + version + " of "
                + table.name() + ": " + e.getMessage(), e);
      }
      throw new UncheckedIOException(
          new IOException("reporting published version " + version + " of " + table.name() + " failed", e));
    }
    LOG.debug("Published {} up to version {}", table.name(), version);
  }

  @Override
  public void maintain(
      Engine engine,
      CatalogTable table,
      TransactionCommitResult result,
      Snapshot published,
      int logCheckpointInterval) {
    writeChecksum(engine, table, result, published.getVersion());
    LogCheckpoints.writeIfDue(engine, table.name(), published, logCheckpointInterval);
  }

  /**
   * Writes the checksum of a published version from its commit's snapshot, which holds it in
   * memory (each checksum derives from the previous one; a full one would replay the log).
   */
  private static void writeChecksum(
      Engine engine, CatalogTable table, TransactionCommitResult result, long publishedVersion) {
    Optional<Snapshot> committed = result.getPostCommitSnapshot();
    try {
      if (committed.isPresent()
          && committed.get().getVersion() == publishedVersion
          && committed.get().getStatistics().getChecksumWriteMode().orElse(null)
              == Snapshot.ChecksumWriteMode.SIMPLE) {
        committed.get().writeChecksum(engine, Snapshot.ChecksumWriteMode.SIMPLE);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Checksum of {} at version {} failed: {}", table.name(), publishedVersion, e.toString());
    }
  }

  private ResendingUCClient commitsClient(Engine engine, CatalogTable table, CommitTimer timer) {
    return new ResendingUCClient(
        restClient,
        description,
        table,
        hadoopConf,
        () -> publish(engine, table, load(engine, table, restClient)),
        timer);
  }

  private static UCTableIdentifier identifier(String name) {
    String[] parts = name.split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new TableCommitException(
          "a Unity Catalog table is named catalog.schema.table, not '" + name + "'");
    }
    return new UCTableIdentifier(parts[0], parts[1], parts[2]);
  }

  private RuntimeException failure(ApiException e, String what) {
    String message = description + " " + what + " (HTTP " + e.getCode() + "): " + e.getResponseBody();
    if (ResendingUCClient.isRefusal(e.getCode()) || e.getCode() == 409) {
      return new CatalogRequestRefusedException(e.getCode(), message, e);
    }
    return new UncheckedIOException(new IOException(message, e));
  }

  @Override
  public void close() {
    try {
      restClient.close();
    } catch (IOException e) {
      LOG.debug("Closing the Unity Catalog client failed: {}", e.toString());
    }
  }
}
