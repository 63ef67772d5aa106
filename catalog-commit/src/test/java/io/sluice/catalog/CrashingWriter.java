package io.sluice.catalog;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.storage.commit.Commit;
import io.delta.storage.commit.CommitFailedException;
import io.delta.storage.commit.GetCommitsResponse;
import io.delta.storage.commit.TableIdentifier;
import io.delta.storage.commit.actions.AbstractDomainMetadata;
import io.delta.storage.commit.actions.AbstractMetadata;
import io.delta.storage.commit.actions.AbstractProtocol;
import io.delta.storage.commit.uccommitcoordinator.UCClient;
import io.delta.storage.commit.uccommitcoordinator.UCCommitCoordinatorException;
import io.delta.storage.commit.uccommitcoordinator.UCTokenBasedRestClient;
import io.delta.storage.commit.uniform.UniformMetadata;
import io.sluice.catalog.internal.CatalogTableCommitClient;
import io.sluice.catalog.internal.UnityCatalog;
import io.unitycatalog.client.api.TablesApi;
import io.unitycatalog.client.auth.TokenProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;

/**
 * A writer in its own JVM that commits {@code txn(appId, from..to)} to a Unity Catalog table and
 * dies, like a {@code kill -9}, at a crash point of txn {@code crashTxn}; {@link CrashMatrixTest}
 * starts it. Arguments: uri table appId from to crashPoint crashTxn.
 */
public final class CrashingWriter {
  /** Where the writer dies, in the order a commit passes them. */
  enum CrashPoint {
    /** The staged commit file is written; the catalog never heard of it. */
    AFTER_STAGING,
    /** The catalog ratified the commit; its answer never arrives (the test kills the writer). */
    AFTER_ACCEPT_BEFORE_ANSWER,
    /** The catalog's answer arrived; the commit is not published. */
    AFTER_RATIFICATION,
    /** {@code _delta_log/<v>.json} is written; the catalog is not told. */
    AFTER_PUBLISHING
  }

  static final int HALT_STATUS = 137;

  public static void main(String[] args) throws Exception {
    URI uri = URI.create(args[0]);
    String table = args[1];
    String appId = args[2];
    long from = Long.parseLong(args[3]);
    long to = Long.parseLong(args[4]);
    CrashPoint point = CrashPoint.valueOf(args[5]);
    long crashTxn = Long.parseLong(args[6]);

    Configuration conf = new Configuration();
    TokenProvider token = TokenProvider.create(Map.of("type", "static", "token", "test-token"));
    Crashing rest = new Crashing(new UCTokenBasedRestClient(uri.toString(), token, Map.of()), point);
    UnityCatalog catalog =
        new UnityCatalog(
            uri,
            rest,
            new TablesApi(io.unitycatalog.client.ApiClientBuilder.create().uri(uri).tokenProvider(token).build()),
            conf,
            "crashing-writer");
    try (TableCommitClient client =
        new CatalogTableCommitClient(catalog, table, DefaultEngine.create(conf), CommitClientConfig.defaults())) {
      client.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
      for (long txn = from; txn <= to; txn++) {
        if (txn == crashTxn) {
          rest.armed = true;
          if (point == CrashPoint.AFTER_ACCEPT_BEFORE_ANSWER) {
            holdNextAnswer(uri);
          }
        }
        CommitOutcome outcome =
            client.commitWithRetries(
                appId,
                "lineage-1",
                txn,
                TestActions.appendFile("txn-" + txn + "-" + UUID.randomUUID() + ".parquet"),
                RetryPolicy.exponential(5, Duration.ofMillis(50)));
        System.out.println("txn " + txn + ": " + outcome);
      }
    }
    System.exit(0);
  }

  private static void holdNextAnswer(URI uri) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri.resolve("/sluice-admin/faults"))
                    .header("Authorization", "Bearer test-token")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"hold-responses-after-accept\",\"times\":1}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("could not set the fault: " + r.body());
    }
  }

  /** The REST client, halting the JVM at the crash point once armed. */
  static final class Crashing implements UCClient {
    private final UCClient delegate;
    private final CrashPoint point;
    volatile boolean armed;

    Crashing(UCClient delegate, CrashPoint point) {
      this.delegate = delegate;
      this.point = point;
    }

    @Override
    public void commit(
        String tableId, URI tableUri, TableIdentifier id, Optional<Commit> commit,
        Optional<Long> backfilled, Optional<AbstractMetadata> oldMetadata,
        Optional<AbstractMetadata> newMetadata, Optional<AbstractProtocol> oldProtocol,
        Optional<AbstractProtocol> newProtocol, List<AbstractDomainMetadata> domainMetadata,
        Optional<UniformMetadata> uniform)
        throws IOException, CommitFailedException, UCCommitCoordinatorException {
      boolean ratify = commit.isPresent();
      if (armed && ratify && point == CrashPoint.AFTER_STAGING) {
        halt();
      }
      if (armed && !ratify && point == CrashPoint.AFTER_PUBLISHING) {
        halt();
      }
      delegate.commit(
          tableId, tableUri, id, commit, backfilled, oldMetadata, newMetadata, oldProtocol,
          newProtocol, domainMetadata, uniform);
      if (armed && ratify && point == CrashPoint.AFTER_RATIFICATION) {
        halt();
      }
    }

    private static void halt() {
      System.out.flush();
      Runtime.getRuntime().halt(HALT_STATUS);
    }

    @Override
    public String getMetastoreId() throws IOException {
      return delegate.getMetastoreId();
    }

    @Override
    public GetCommitsResponse getCommits(
        String tableId, URI tableUri, TableIdentifier id, Optional<Long> start, Optional<Long> end)
        throws IOException, UCCommitCoordinatorException {
      return delegate.getCommits(tableId, tableUri, id, start, end);
    }

    @Override
    public void finalizeCreate(
        String name, String catalog, String schema, String location, List<ColumnDef> columns,
        AbstractProtocol protocol, Map<String, String> properties, long timestamp,
        List<AbstractDomainMetadata> domainMetadata)
        throws CommitFailedException {
      delegate.finalizeCreate(
          name, catalog, schema, location, columns, protocol, properties, timestamp, domainMetadata);
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }
}
