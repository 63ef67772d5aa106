package io.sluice.state.rocksdb;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A test with a fresh {@link StateFixture} in a temporary directory. */
@Timeout(60)
abstract class StateFixtureTest {
  @TempDir Path dir;
  StateFixture fixture;

  @BeforeEach
  void createFixture() {
    fixture = new StateFixture(dir);
  }

  @AfterEach
  void closeFixture() throws Exception {
    fixture.close();
  }
}
