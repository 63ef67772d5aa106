package io.sluice.catalog.internal;

import io.delta.storage.commit.Commit;
import io.delta.storage.commit.CommitFailedException;
import io.delta.storage.commit.GetCommitsResponse;
import io.delta.storage.commit.TableIdentifier;
import io.delta.storage.commit.actions.AbstractDomainMetadata;
import io.delta.storage.commit.actions.AbstractMetadata;
import io.delta.storage.commit.actions.AbstractProtocol;
import io.delta.storage.commit.uccommitcoordinator.CommitLimitReachedException;
import io.delta.storage.commit.uccommitcoordinator.InvalidTargetTableException;
import io.delta.storage.commit.uccommitcoordinator.UCClient;
import io.delta.storage.commit.uccommitcoordinator.UCCommitCoordinatorException;
import io.delta.storage.commit.uniform.UniformMetadata;
import io.sluice.catalog.CatalogRequestRefusedException;
import io.unitycatalog.client.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Unity Catalog client of one table load, around the REST client: it makes Kernel's {@code
 * UCCatalogManagedCommitter}, which writes a new staged file per attempt, treats a 409 after a
 * retry as an unknown state and a 429 as fatal, behave like Spark's UC committer:
 *
 * <ul>
 *   <li>a transient failure (no answer, 5xx) re-sends the <em>same</em> staged file, which Unity
 *       Catalog 0.6.0 answers 200 if it had already ratified it;
 *   <li>a 409 is resolved by asking the catalog: the version is ours if the catalog lists our
 *       staged file for it, or, once it no longer tracks the version, if {@code
 *       _delta_log/<v>.json} has our staged file's bytes; otherwise it is a real conflict;
 *   <li>429 ("too many unpublished commits") publishes the table's ratified commits and re-sends;
 *   <li>401/403, 400 and 404 are definitive: a {@link CatalogRequestRefusedException}.
 * </ul>
 *
 * The staged file is synced to disk before the first send. When the sends run out the outcome is
 * unknown ({@link UncheckedIOException}), which the commit
 * client decides by reloading the table through the catalog. The time spent in {@link #commit} is
 * the catalog's share of the commit.
 */
final class ResendingUCClient implements UCClient {
  private static final Logger LOG = LoggerFactory.getLogger(ResendingUCClient.class);
  static final int MAX_SENDS = 5;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

  /** Publishes every ratified commit of the table and reports it to the catalog. */
  interface BacklogPublisher {
    void publishAll();
  }

  private final UCClient delegate;
  private final String catalog;
  private final CatalogTable table;
  private final Configuration hadoopConf;
  private final BacklogPublisher backlog;
  private final CommitTimer timer;

  ResendingUCClient(
      UCClient delegate,
      String catalog,
      CatalogTable table,
      Configuration hadoopConf,
      BacklogPublisher backlog,
      CommitTimer timer) {
    this.delegate = delegate;
    this.catalog = catalog;
    this.table = table;
    this.hadoopConf = hadoopConf;
    this.backlog = backlog;
    this.timer = timer;
  }

  @Override
  public String getMetastoreId() throws IOException {
    return delegate.getMetastoreId();
  }

  @Override
  public void commit(
      String tableId,
      URI tableUri,
      TableIdentifier tableIdentifier,
      Optional<Commit> commit,
      Optional<Long> lastKnownBackfilledVersion,
      Optional<AbstractMetadata> oldMetadata,
      Optional<AbstractMetadata> newMetadata,
      Optional<AbstractProtocol> oldProtocol,
      Optional<AbstractProtocol> newProtocol,
      List<AbstractDomainMetadata> transactionDomainMetadata,
      Optional<UniformMetadata> uniform)
      throws IOException, CommitFailedException, UCCommitCoordinatorException {
    if (commit.isEmpty()) {
      throw new IllegalArgumentException("a backfill report goes through UnityCatalog.publish");
    }
    long start = System.nanoTime();
    long version = commit.get().getVersion();
    String stagedFile = commit.get().getFileStatus().getPath().getName();
    LocalDurability.sync(commit.get().getFileStatus().getPath().toString());
    Duration backoff = FIRST_BACKOFF;
    Exception lastTransient = null;
    try {
      for (int send = 1; send <= MAX_SENDS; send++) {
        try {
          delegate.commit(
              tableId, tableUri, tableIdentifier, commit, lastKnownBackfilledVersion, oldMetadata,
              newMetadata, oldProtocol, newProtocol, transactionDomainMetadata, uniform);
          return;
        } catch (CommitFailedException e) {
          int status = httpStatus(e);
          if (isRefusal(status) || !e.getRetryable()) {
            throw refused(status == 0 ? 400 : status, "refused version " + version, e);
          }
          if (e.getConflict()) {
            if (ratifiedAsOurs(tableId, tableUri, tableIdentifier, version, stagedFile)) {
              LOG.info(
                  "Version {} of {} was already ratified with our staged file: a resend after a lost"
                      + " answer",
                  version, table.name());
              return;
            }
            throw e; // another writer won the version: Kernel rebases
          }
          lastTransient = e;
        } catch (CommitLimitReachedException e) {
          LOG.info(
              "{} holds too many unpublished commits of {}: publishing them, then resending"
                  + " version {}",
              catalog, table.name(), version);
          backlog.publishAll();
          lastTransient = e;
          continue;
        } catch (InvalidTargetTableException e) {
          throw refused(404, "does not know the table", e);
        } catch (IOException e) {
          lastTransient = e;
        }
        if (send < MAX_SENDS) {
          LOG.warn(
              "Commit of version {} of {} to {} failed (send {}/{}), resending the same staged file"
                  + " in {} ms: {}",
              version, table.name(), catalog, send, MAX_SENDS, backoff.toMillis(),
              lastTransient.toString());
          sleep(backoff);
          backoff = backoff.multipliedBy(2);
        }
      }
      throw new UncheckedIOException(
          new IOException(
              catalog + " did not confirm version " + version + " of " + table.name() + " after "
                  + MAX_SENDS + " sends: the commit may or may not have been ratified",
              lastTransient));
    } finally {
      timer.addCatalog(System.nanoTime() - start);
    }
  }

  @Override
  public GetCommitsResponse getCommits(
      String tableId,
      URI tableUri,
      TableIdentifier tableIdentifier,
      Optional<Long> startVersion,
      Optional<Long> endVersion)
      throws IOException, UCCommitCoordinatorException {
    try {
      return delegate.getCommits(tableId, tableUri, tableIdentifier, startVersion, endVersion);
    } catch (InvalidTargetTableException e) {
      throw refused(404, "does not know the table", e);
    } catch (IOException e) {
      int status = httpStatus(e);
      if (isRefusal(status)) {
        throw refused(status, "refused to list the commits", e);
      }
      throw e;
    }
  }

  @Override
  public void finalizeCreate(
      String tableName,
      String catalogName,
      String schemaName,
      String storageLocation,
      List<ColumnDef> columns,
      AbstractProtocol protocol,
      Map<String, String> properties,
      long lastCommitTimestampMs,
      List<AbstractDomainMetadata> domainMetadata)
      throws CommitFailedException {
    delegate.finalizeCreate(
        tableName, catalogName, schemaName, storageLocation, columns, protocol, properties,
        lastCommitTimestampMs, domainMetadata);
  }

  @Override
  public void close() {
    // the REST client belongs to the catalog, which closes it
  }

  /**
   * Whether {@code version} was ratified with our {@code stagedFile}: listed by the catalog under
   * that name, or, no longer tracked, published with the same bytes.
   */
  private boolean ratifiedAsOurs(
      String tableId, URI tableUri, TableIdentifier identifier, long version, String stagedFile)
      throws IOException, UCCommitCoordinatorException {
    GetCommitsResponse response =
        getCommits(tableId, tableUri, identifier, Optional.of(version), Optional.of(version));
    for (Commit c : response.getCommits()) {
      if (c.getVersion() == version) {
        return stagedFile.equals(c.getFileStatus().getPath().getName());
      }
    }
    if (response.getLatestTableVersion() < version) {
      return false;
    }
    Path log = new Path(new Path(table.storageLocation()), "_delta_log");
    return Arrays.equals(
        read(new Path(log, String.format("%020d.json", version))),
        read(new Path(new Path(log, "_staged_commits"), stagedFile)));
  }

  private byte[] read(Path file) throws IOException {
    FileSystem fs = file.getFileSystem(hadoopConf);
    try (InputStream in = fs.open(file)) {
      return in.readAllBytes();
    }
  }

  private CatalogRequestRefusedException refused(int status, String what, Exception cause) {
    return new CatalogRequestRefusedException(
        status,
        catalog + " " + what + " of table " + table.name() + " (HTTP " + status + "): "
            + cause.getMessage(),
        cause);
  }

  static boolean isRefusal(int status) {
    return status == 400 || status == 401 || status == 403 || status == 404;
  }

  /** The HTTP status of the UC SDK call behind {@code failure}; 0 when there was no answer. */
  static int httpStatus(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause()) {
      if (c instanceof ApiException api) {
        return api.getCode();
      }
    }
    return 0;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted while resending a commit", e));
    }
  }
}
