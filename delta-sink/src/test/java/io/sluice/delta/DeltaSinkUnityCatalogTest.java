package io.sluice.delta;

import io.sluice.testing.DeltaTableReader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalog.CommitClientConfig;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitClients;
import io.sluice.catalog.TableCommitException;
import io.sluice.catalog.UnityCatalogConfig;
import io.sluice.catalogserver.CatalogServer;
import io.sluice.engine.row.Row;
import io.sluice.engine.sink.GlobalCommitter;
import io.sluice.engine.sink.SinkContext;
import io.sluice.engine.sink.SinkWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink on a Unity Catalog table: files go where the catalog says, commits through it. */
class DeltaSinkUnityCatalogTest {
  private static final String TABLE = "main.sales.orders";

  @TempDir Path dir;

  @Test
  void writesAndCommitsACatalogManagedTableAtTheCatalogsLocation() throws Exception {
    try (CatalogServer server =
        CatalogServer.builder(dir.resolve("catalog")).createMissingNamespaces(true).start()) {
      UnityCatalogConfig catalog = new UnityCatalogConfig(server.uri(), "token");
      DeltaSink sink =
          new DeltaSink(
              DeltaSinkConfig.builder(TABLE, DeltaSinkTest.SCHEMA, "pipe-1/orders").build(),
              TableCommitClientFactory.unityCatalog(catalog));
      try (GlobalCommitter<DeltaCommittable> committer = sink.createCommitter(DeltaSinkTest.COMMITTER)) {
        committer.discardUncommitted(-1); // creates the table through the catalog
        List<DeltaCommittable> first = stage(sink, -1, 1, 0, 50);
        committer.commit(1, first);
        committer.commit(1, first); // after a restore: published once
        stage(sink, 1, 2, 50, 60); // checkpoint 2 never completes
      }
      try (GlobalCommitter<DeltaCommittable> restarted = sink.createCommitter(DeltaSinkTest.COMMITTER)) {
        restarted.discardUncommitted(1);
      }
      try (TableCommitClient reader =
          TableCommitClients.unityCatalog(catalog, TABLE, CommitClientConfig.defaults())) {
        assertEquals(
            DeltaSinkTest.rows(0, 50), new DeltaTableReader(reader::latestSnapshot).readRows(DeltaSinkTest.SCHEMA));
        assertEquals(2, reader.latestSnapshot().getVersion(), "the lineage, then checkpoint 1");
        Path location = Path.of(new org.apache.hadoop.fs.Path(reader.storageLocation()).toUri());
        assertTrue(location.startsWith(dir.resolve("catalog")), location.toString());
        try (Stream<Path> files = Files.list(location)) {
          assertEquals(1, files.filter(p -> p.toString().endsWith(".parquet")).count(), "orphan removed");
        }
        // The protocol leaves maintenance other than checkpoints and checksums to the catalog.
        TableCommitException refused = assertThrows(TableCommitException.class,
            () -> TableMaintenance.compact(reader, new Configuration(), 1 << 20, Map.of()));
        assertTrue(refused.getMessage().startsWith("cannot compact " + TABLE + " in Unity Catalog at "),
            refused.getMessage());
        assertTrue(refused.getMessage().contains("catalog-managed"), refused.getMessage());
        assertEquals(0, sink.dataFileMetrics().compactions());
        refused = assertThrows(TableCommitException.class, () -> TableMaintenance.vacuum(
            reader, new Configuration(), Duration.ofDays(7), false, true));
        assertTrue(refused.getMessage().startsWith("cannot vacuum " + TABLE + " in Unity Catalog at "),
            refused.getMessage());
      }
      assertFalse(Files.exists(Path.of(TABLE)), "nothing was written at the table's name");
    }
  }

  private static List<DeltaCommittable> stage(DeltaSink sink, long restored, long checkpoint, long from, long to)
      throws Exception {
    try (SinkWriter<Row, DeltaCommittable> writer = sink.createWriter(new SinkContext("pipe-1", 0, 1, restored))) {
      for (long i = from; i < to; i++) {
        writer.write(DeltaSinkTest.row(i));
      }
      return new ArrayList<>(writer.prepareCommit(checkpoint));
    }
  }
}
