package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.internal.state.KeyedStateBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Databases a dead process left in the working directory go; live ones stay. */
class RocksDbWorkingDirectoryTest extends StateFixtureTest {

  @Test
  void theFirstStateOfAPipelineDeletesWhatADeadProcessLeftBehind() throws Exception {
    Path leftover = dir.resolve("work").resolve("pipe").resolve("op-0-dead").resolve("db");
    Files.createDirectories(leftover);
    Files.writeString(leftover.resolve("000042.sst"), "left by a killed process");
    Path otherPipeline = Files.createDirectories(dir.resolve("work").resolve("other").resolve("x"));

    KeyedStateBackend<String> first = fixture.rocksDb(0, 2);
    KeyedStateBackend<String> second = fixture.rocksDb(1, 2);

    assertFalse(Files.exists(leftover.getParent()), "the dead process's database is gone");
    assertTrue(Files.exists(otherPipeline), "another pipeline's directory is not touched");
    try (Stream<Path> live = Files.list(dir.resolve("work").resolve("pipe"))) {
      assertEquals(2, live.count(), "both live databases exist");
    }
    first.close();
    second.close();
    try (Stream<Path> live = Files.list(dir.resolve("work").resolve("pipe"))) {
      assertEquals(List.of(), live.toList(), "closing deletes a subtask's database");
    }
  }
}
