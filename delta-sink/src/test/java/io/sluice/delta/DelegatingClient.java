package io.sluice.delta;

import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import io.sluice.catalog.AppTransaction;
import io.sluice.catalog.CommitOutcome;
import io.sluice.catalog.DataActionsProducer;
import io.sluice.catalog.OpenedTable;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableDefinition;
import java.util.Map;
import java.util.Optional;

/** A client that passes every call to a real one; tests override what they script. */
abstract class DelegatingClient implements TableCommitClient {
  final TableCommitClient real;

  DelegatingClient(TableCommitClient real) {
    this.real = real;
  }

  @Override public CommitOutcome commit(String appId, String lineage, long txnVersion, DataActionsProducer actions) {
    return real.commit(appId, lineage, txnVersion, actions);
  }
  @Override public CommitOutcome commitMaintenance(Snapshot basis, DataActionsProducer actions) { return real.commitMaintenance(basis, actions); }
  @Override public String tableName() { return real.tableName(); }
  @Override public String storageLocation() { return real.storageLocation(); }
  @Override public Engine engine() { return real.engine(); }
  @Override public OpenedTable openOrCreate(TableDefinition d) { return real.openOrCreate(d); }
  @Override public Optional<OpenedTable> open(TableDefinition d) { return real.open(d); }
  @Override public Snapshot latestSnapshot() { return real.latestSnapshot(); }
  @Override public AppTransaction transaction(String a) { return real.transaction(a); }
  @Override public AppTransaction claimLineage(String a, String l) { return real.claimLineage(a, l); }
  @Override public Map<String, Long> transactionVersions() { return real.transactionVersions(); }
  @Override public Optional<String> maintenanceRefusal() { return real.maintenanceRefusal(); }
  @Override public int checkpointInterval() { return real.checkpointInterval(); }
  @Override public void close() { real.close(); }
  @Override public String toString() { return real.toString(); }
}
