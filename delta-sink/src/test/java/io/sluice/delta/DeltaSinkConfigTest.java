package io.sluice.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeltaSinkConfigTest {
  @Test
  void builderDefaultsAreTheCatalogues() {
    DeltaSinkConfig config = DeltaSinkConfig.builder("/t", DeltaSinkTest.SCHEMA, "p/t").build();
    assertEquals(DeltaSinkOptions.CREATE.defaultValue(), config.createTable());
    assertEquals(List.of(), config.partitionColumns());
    assertEquals(DeltaSinkOptions.TARGET_FILE_SIZE.defaultValue(), config.targetFileSizeBytes());
    assertEquals(DeltaSinkOptions.MAX_ROWS_PER_FILE.defaultValue(), config.maxRowsPerFile());
    assertEquals(DeltaSinkOptions.MAX_OPEN_FILES.defaultValue(), config.maxOpenFilesPerWriter());
    assertEquals(DeltaSinkOptions.LOG_CHECKPOINT_INTERVAL.defaultValue(), config.checkpointInterval());
    assertEquals(DeltaSinkOptions.PARQUET_ROW_GROUP_SIZE.defaultValue(), config.parquetRowGroupSizeBytes());
    assertEquals(DeltaSinkOptions.COMMIT_MAX_ATTEMPTS.defaultValue(), config.commitMaxAttempts());
    assertEquals(DeltaSinkOptions.COMMIT_RETRY_BACKOFF.defaultValue(), config.commitRetryBackoff());
    assertEquals(Map.of(), config.hadoopConfiguration());
    assertEquals(Map.of(), config.tableProperties());
  }

  @Test
  void rowGroupsAreNoLargerThanTheTargetFileUnlessSet() {
    assertEquals(4096, DeltaSinkConfig.builder("/t", DeltaSinkTest.SCHEMA, "p/t")
        .targetFileSizeBytes(4096).build().parquetRowGroupSizeBytes());
    assertEquals(8192, DeltaSinkConfig.builder("/t", DeltaSinkTest.SCHEMA, "p/t")
        .targetFileSizeBytes(4096).parquetRowGroupSizeBytes(8192).build().parquetRowGroupSizeBytes());
  }

  @Test
  void invalidValuesNameTheOption() {
    assertEquals("target-file-size: must be at least 1KB", assertThrows(IllegalArgumentException.class,
        () -> DeltaSinkConfig.builder("/t", DeltaSinkTest.SCHEMA, "p/t").targetFileSizeBytes(100).build())
        .getMessage());
    assertEquals("table: must not be empty", assertThrows(IllegalArgumentException.class,
        () -> DeltaSinkConfig.builder(" ", DeltaSinkTest.SCHEMA, "p/t").build()).getMessage());
    assertEquals("partition column 'raw' is BINARY: bytes cannot be partition values",
        assertThrows(IllegalArgumentException.class, () -> DeltaSinkConfig.builder(
            "/t", DeltaSinkTest.SCHEMA, "p/t").partitionColumns("raw").build()).getMessage());
  }
}
