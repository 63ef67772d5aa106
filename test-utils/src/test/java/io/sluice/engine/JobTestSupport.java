package io.sluice.engine;

import java.nio.file.Path;
import java.time.Duration;

final class JobTestSupport {
  private JobTestSupport() {}

  static JobConfig config(Path dir) {
    return JobConfig.of("test-pipeline", dir)
        .withCheckpointInterval(Duration.ofMillis(20))
        .withRestarts(0, Duration.ofMillis(10))
        .withExchange(64, 4);
  }
}
