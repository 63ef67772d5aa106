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
import io.delta.kernel.transaction.CreateTableTransactionBuilder;
import io.delta.kernel.types.StructType;
import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.CommitOutcome;
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

  static final class FaultyClient extends KernelTableCommitClient {
    final AtomicReference<Fault> fault = new AtomicReference<>(Fault.NONE);
    private final Committer committer;

    FaultyClient(String path, CommitClientConfig config) {
      super(DefaultEngine.create(new Configuration()), path, config);
      PutIfAbsentCommitter real = new PutIfAbsentCommitter(new Configuration());
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
        CommitResponse response = real.commit(engine, actions, metadata);
        if (fault.compareAndSet(Fault.FAIL_AFTER_PUBLISH, Fault.NONE)) {
          throw new CommitFailedException(true, false, "injected: connection reset after write");
        }
        return response;
      };
    }

    @Override
    protected Snapshot loadLatestSnapshot() throws TableNotFoundException {
      return TableManager.loadSnapshot(tablePath).withCommitter(committer).build(engine);
    }

    @Override
    protected Snapshot loadSnapshotAt(long version) {
      return TableManager.loadSnapshot(tablePath).atVersion(version).withCommitter(committer).build(engine);
    }

    @Override
    protected CreateTableTransactionBuilder createTableBuilder(StructType schema) {
      return TableManager.buildCreateTableTransaction(tablePath, schema, "test").withCommitter(committer);
    }
  }

  private FaultyClient client() {
    FaultyClient c =
        new FaultyClient(
            "file:" + dir.resolve("t"), CommitClientConfig.defaults().withMaxConflictRebases(2));
    c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
    return c;
  }

  @Test
  void ioFailureAfterPublishIsStateUnknownAndTheTxnShowsItLanded() throws Exception {
    FaultyClient c = client();
    c.fault.set(Fault.FAIL_AFTER_PUBLISH);
    CommitOutcome outcome = c.commit("app", 1, TestActions.appendFile("a.parquet"));
    CommitOutcome.StateUnknown unknown = assertInstanceOf(CommitOutcome.StateUnknown.class, outcome);
    assertInstanceOf(CommitStateUnknownException.class, unknown.cause());
    // The caller re-checks before retrying: the commit is there, once.
    assertEquals(Optional.of(1L), c.latestTransactionVersion("app"));
    assertEquals(new CommitOutcome.AlreadyCommitted(1), c.commit("app", 1, TestActions.appendFile("a.parquet")));
    assertEquals(List.of("a.parquet"), TestActions.dataFiles(c.engine(), c.tablePath()));
  }

  @Test
  void exhaustedRebasesAreConflictRetryable() {
    FaultyClient c = client();
    c.fault.set(Fault.CONFLICT_ALWAYS);
    CommitOutcome outcome = c.commit("app", 1, TestActions.appendFile("a.parquet"));
    assertInstanceOf(CommitOutcome.ConflictRetryable.class, outcome);
    assertEquals(Optional.empty(), c.latestTransactionVersion("app"));
  }

  @Test
  void failureWhileProducingTheActionsIsDefinitive() throws Exception {
    FaultyClient c = client();
    IllegalStateException bug = new IllegalStateException("injected: bad partition value");
    TableCommitException e =
        assertThrows(TableCommitException.class, () -> c.commit("app", 1, (engine, txnState) -> {
          throw bug;
        }));
    assertSame(bug, e.getCause());
    java.io.IOException io = new java.io.IOException("injected");
    e = assertThrows(TableCommitException.class, () -> c.commit("app", 1, (engine, txnState) -> {
      throw io;
    }));
    assertSame(io, e.getCause());
    // Nothing was published; the next commit is version 1.
    assertEquals(Optional.empty(), c.latestTransactionVersion("app"));
    assertEquals(new CommitOutcome.Committed(1), c.commit("app", 1, TestActions.appendFile("a.parquet")));
  }

  @Test
  void nonRetryableFailureThrows() {
    FaultyClient c = client();
    c.fault.set(Fault.FAIL_BEFORE_PUBLISH_NON_RETRYABLE);
    TableCommitException e =
        assertThrows(TableCommitException.class, () -> c.commit("app", 1, TestActions.appendFile("a.parquet")));
    assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
  }
}
