package io.sluice.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import io.sluice.engine.state.StateBackends;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobConfigTest {
  private static final Path DIR = Path.of("/tmp/checkpoints");

  @Test
  void defaultsComeFromTheCatalogue() {
    JobConfig config = JobConfig.of("p", DIR);
    assertEquals(JobOptions.CHECKPOINT_INTERVAL.defaultValue(), config.checkpointInterval());
    assertEquals(JobOptions.CHECKPOINT_TIMEOUT.defaultValue(), config.checkpointTimeout());
    assertEquals(JobOptions.CHECKPOINT_RETAINED.defaultValue(), config.checkpointsRetained());
    assertEquals(JobOptions.EXCHANGE_BATCH_SIZE.defaultValue(), config.exchangeBatchSize());
    assertEquals(JobOptions.EXCHANGE_BUFFERS_PER_CHANNEL.defaultValue(), config.exchangeBuffersPerChannel());
    assertEquals(JobOptions.RESTART_ATTEMPTS.defaultValue(), config.restartAttempts());
    assertEquals(JobOptions.RESTART_DELAY.defaultValue(), config.restartDelay());
    assertEquals(config, JobConfig.builder("p", DIR).build());
  }

  @Test
  void builderSetsEachField() {
    JobConfig config = JobConfig.builder("p", DIR)
        .checkpointInterval(Duration.ofSeconds(1))
        .checkpointTimeout(Duration.ofSeconds(2))
        .checkpointsRetained(4)
        .exchangeBatchSize(16)
        .exchangeBuffersPerChannel(2)
        .restartAttempts(0)
        .restartDelay(Duration.ZERO)
        .maxParallelism(64)
        .restoreFrom(Path.of("/sp"))
        .allowNonRestoredState(true)
        .build();
    assertEquals(new JobConfig("p", DIR, Duration.ofSeconds(1), Duration.ofSeconds(2), 4, 16, 2, 0,
        Duration.ZERO, 64, StateBackends.heap(), Path.of("/sp"), true), config);
  }

  @Test
  void invalidValuesNameTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobConfig.builder("p", DIR).checkpointsRetained(0).build());
    assertEquals("checkpoint.retained: must be at least 1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> JobConfig.of("p", DIR).withRestarts(-1, Duration.ZERO));
    assertEquals("restart.attempts: must be at least 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> JobConfig.of("p", DIR).withCheckpointInterval(Duration.ZERO));
    assertEquals("checkpoint.interval: must be longer than zero", e.getMessage());
  }
}
