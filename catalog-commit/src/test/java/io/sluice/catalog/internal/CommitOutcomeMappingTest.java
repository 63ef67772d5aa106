package io.sluice.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.commit.CommitFailedException;
import io.delta.kernel.commit.CommitResponse;
import io.delta.kernel.commit.Committer;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.exceptions.CommitStateUnknownException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.engine.Engine;
import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.CommitOutcome;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitException;
import io.sluice.catalog.TableDefinition;
import io.sluice.catalog.TestActions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kernel commit failures mapped to {@link CommitOutcome}s, with an injected-fault committer. */
class CommitOutcomeMappingTest {
  @TempDir Path dir;

  enum Fault { NONE, FAIL_AFTER_PUBLISH, FAIL_BEFORE_PUBLISH_NON_RETRYABLE, CONFLICT_ALWAYS }

  /** The filesystem catalog, with a committer that injects the current fault. */
  static final class FaultyCatalog implements DeltaCatalog {
    final AtomicReference<Fault> fault = new AtomicReference<>(Fault.NONE);
    private final FileSystemCatalog real = new FileSystemCatalog(new Configuration(), "test");
    private final Committer committer;

    FaultyCatalog() {
      PutIfAbsentCommitter put = new PutIfAbsentCommitter(new Configuration());
      committer = (engine, actions, metadata) -> {
        Fault f = fault.get();
        if (f == Fault.FAIL_BEFORE_PUBLISH_NON_RETRYABLE) {
          throw new CommitFailedException(false, false, "injected: permission denied");
        }
        if (f == Fault.CONFLICT_ALWAYS) {
          // A competing writer always publishes the version first.
          try {
            Files.writeString(
                Path.of(new org.apache.hadoop.fs.Path(metadata.getPublishedDeltaFilePath()).toUri()),
                "{\"commitInfo\":{\"timestamp\":1700000000000,\"operation\":\"WRITE\"}}\n");
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        }
        CommitResponse response = put.commit(engine, actions, metadata);
        if (fault.compareAndSet(Fault.FAIL_AFTER_PUBLISH, Fault.NONE)) {
          throw new CommitFailedException(true, false, "injected: connection reset after write");
        }
        return response;
      };
    }

    @Override public String description() { return real.description(); }
    @Override public Optional<String> maintenanceRefusal() { return real.maintenanceRefusal(); }
    @Override public Optional<CatalogTable> resolve(Engine e, String name) { return real.resolve(e, name); }
    @Override public CatalogTable create(Engine e, String name, TableDefinition d) { return real.create(e, name, d); }
    @Override public Snapshot publish(Engine e, CatalogTable t, Snapshot s) { return real.publish(e, t, s); }
    @Override public void close() {}

    @Override
    public Snapshot loadLatest(Engine engine, CatalogTable table, CommitTimer timer) throws TableNotFoundException {
      return TableManager.loadSnapshot(table.storageLocation()).withCommitter(committer).build(engine);
    }

    @Override
    public void maintain(Engine e, CatalogTable t, TransactionCommitResult r, Snapshot p, int interval) {
      real.maintain(e, t, r, p, interval);
    }
  }

  private FaultyCatalog catalog;

  private TableCommitClient client() {
    catalog = new FaultyCatalog();
    TableCommitClient c =
        new CatalogTableCommitClient(
            catalog,
            "file:" + dir.resolve("t"),
            DefaultEngine.create(new Configuration()),
            CommitClientConfig.defaults().withMaxConflictRebases(2));
    c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    return c;
  }

  @Test
  void ioFailureAfterPublishIsStateUnknownAndTheTxnShowsItLanded() throws Exception {
    TableCommitClient c = client();
    catalog.fault.set(Fault.FAIL_AFTER_PUBLISH);
    CommitOutcome outcome = c.commit("app", "lineage-1", 1, TestActions.appendFile("a.parquet"));
    CommitOutcome.StateUnknown unknown = assertInstanceOf(CommitOutcome.StateUnknown.class, outcome);
    assertInstanceOf(CommitStateUnknownException.class, unknown.cause());
    // The caller re-checks before retrying: the commit is there, once.
    assertEquals(Optional.of(1L), c.latestTransactionVersion("app"));
    assertEquals(new CommitOutcome.AlreadyCommitted(1), c.commit("app", "lineage-1", 1, TestActions.appendFile("a.parquet")));
    assertEquals(List.of("a.parquet"), TestActions.dataFiles(c.engine(), c.storageLocation()));
  }

  @Test
  void exhaustedRebasesAreConflictRetryable() {
    TableCommitClient c = client();
    catalog.fault.set(Fault.CONFLICT_ALWAYS);
    CommitOutcome outcome = c.commit("app", "lineage-1", 1, TestActions.appendFile("a.parquet"));
    assertInstanceOf(CommitOutcome.ConflictRetryable.class, outcome);
    assertEquals(Optional.empty(), c.latestTransactionVersion("app"));
  }

  @Test
  void failureWhileProducingTheActionsIsDefinitive() throws Exception {
    TableCommitClient c = client();
    IllegalStateException bug = new IllegalStateException("injected: bad partition value");
    TableCommitException e =
        assertThrows(TableCommitException.class, () -> c.commit("app", "lineage-1", 1, (engine, txnState) -> {
          throw bug;
        }));
    assertSame(bug, e.getCause());
    java.io.IOException io = new java.io.IOException("injected");
    e = assertThrows(TableCommitException.class, () -> c.commit("app", "lineage-1", 1, (engine, txnState) -> {
      throw io;
    }));
    assertSame(io, e.getCause());
    // Nothing was published; the next commit is version 1.
    assertEquals(Optional.empty(), c.latestTransactionVersion("app"));
    CommitOutcome committed = c.commit("app", "lineage-1", 1, TestActions.appendFile("a.parquet"));
    assertEquals(1, assertInstanceOf(CommitOutcome.Committed.class, committed).tableVersion());
  }

  @Test
  void nonRetryableFailureThrows() {
    TableCommitClient c = client();
    catalog.fault.set(Fault.FAIL_BEFORE_PUBLISH_NON_RETRYABLE);
    TableCommitException e =
        assertThrows(TableCommitException.class, () -> c.commit("app", "lineage-1", 1, TestActions.appendFile("a.parquet")));
    assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
  }
}
