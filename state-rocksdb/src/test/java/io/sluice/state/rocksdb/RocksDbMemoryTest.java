package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.internal.state.KeyedStateBackend;
import io.sluice.engine.state.Serializers;
import io.sluice.engine.state.ValueState;
import io.sluice.engine.state.ValueStateDescriptor;
import io.sluice.state.rocksdb.internal.RocksDbKeyedStateBackend;
import io.sluice.state.rocksdb.internal.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RocksDbMemoryTest extends StateFixtureTest {
  static final ValueStateDescriptor<byte[]> BLOBS =
      new ValueStateDescriptor<>("blobs", Serializers.bytes());

  KeyedStateBackend<String> first;
  KeyedStateBackend<String> second;

  @BeforeEach
  void setUp() throws Exception {
    first = fixture.rocksDb(0, 2);
    second = fixture.rocksDb(1, 2);
    first.state(BLOBS);
    second.state(BLOBS);
  }

  private static long property(KeyedStateBackend<?> backend, String name) throws Exception {
    return ((RocksDbKeyedStateBackend<?>) backend).property(name);
  }

  @Test
  void theSubtasksShareOneCacheThatTheirWriteBuffersAreChargedTo() throws Exception {
    assertEquals(
        SharedResources.blockCacheCapacity(StateFixture.MEMORY),
        property(first, "rocksdb.block-cache-capacity"));
    long before = property(second, "rocksdb.block-cache-usage");
    ValueState<byte[]> blobs = first.state(BLOBS);
    byte[] blob = new byte[1024];
    int written = 0;
    for (int i = 0; written < 1536; i++) {
      String key = "key" + i;
      if (first.keyGroupRange().contains(StateFixture.keyGroup(key))) {
        first.setCurrentKey(key);
        blobs.update(blob);
        written++;
      }
    }
    long charged = property(second, "rocksdb.block-cache-usage") - before;
    assertTrue(charged >= 1L << 20,
        "1.5MB written to the first subtask's memtable show in the cache both use: " + charged);
  }

  @Test
  void writeBuffersAndTablesAreConfiguredFromTheBudget() throws Exception {
    List<Path> optionFiles;
    try (Stream<Path> files = Files.walk(fixture.rocksDb.workingDirectory())) {
      optionFiles = files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-")).toList();
    }
    assertTrue(!optionFiles.isEmpty());
    for (Path file : optionFiles) {
      String options = Files.readString(file);
      for (String expected : List.of(
          "write_buffer_size=" + SharedResources.writeBufferSize(StateFixture.MEMORY),
          "cache_index_and_filter_blocks=true",
          "index_type=kTwoLevelIndexSearch",
          "partition_filters=true",
          "merge_operator=StringAppendOperator")) {
        assertTrue(options.contains(expected), expected + " in " + file);
      }
    }
  }

  @Test
  void theBudgetSplitsBetweenCacheAndWriteBuffers() {
    long budget = 256L << 20;
    assertEquals(budget / 3, SharedResources.writeBufferManagerCapacity(budget));
    assertEquals(budget - budget / 6, SharedResources.blockCacheCapacity(budget));
    assertEquals((budget / 3) / 4, SharedResources.writeBufferSize(budget));
    assertEquals(64L << 20, SharedResources.writeBufferSize(4L << 30), "capped");
    assertEquals(
        "state.rocksdb.memory: must be at least 16MB",
        assertThrows(IllegalArgumentException.class,
            () -> new RocksDbStateBackend(dir, 1L << 20)).getMessage());
    assertEquals(256L << 20, new RocksDbStateBackend(dir).memoryBytes());
  }
}
