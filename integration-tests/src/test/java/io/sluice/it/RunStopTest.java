package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.testing.DeltaTableReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to {@code sluice run}: the pipeline stops with a final checkpoint, committed, so the
 * next run reads nothing again, and the process exits 0; a stop that takes longer than {@code
 * --stop-timeout} is cancelled and says from which checkpoint the next run reads again. The
 * pipelines checkpoint once an hour, so only the stop's final checkpoint commits anything.
 */
@ExtendWith(LocalKafkaExtension.class)
class RunStopTest {
  private static final int EVENTS = 20_000;
  private static final long SEED = 4242;

  private final List<PipelineProcess> started = new ArrayList<>();

  /** A failed test leaves no run behind. */
  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (PipelineProcess run : started) {
      if (run.isAlive()) {
        run.kill();
      }
    }
  }

  @Test
  void sigtermStopsWithAFinalCommitSoTheNextRunReadsNothingAgain(LocalKafkaBroker broker,
      @TempDir Path dir) throws Exception {
    Path config = pipeline(broker, dir, "run-stop");
    Path firstLog = dir.resolve("run-1.log");
    PipelineProcess first = runUntil(config, firstLog, " " + EVENTS + " records read, lag 0");
    DeltaTableReader table = new DeltaTableReader(dir.resolve("table").toString());
    assertEquals(0, TableContents.rows(table), "nothing committed before the stop");

    assertEquals(0, first.terminate(90), () -> KillLoop.tail(first));
    assertEquals(1, count(firstLog, "sluice: stopping with a final checkpoint and commit (at most"
        + " 1m)"), () -> KillLoop.tail(first));
    assertEquals(1, count(firstLog, "sluice: pipeline 'run-stop' stopped: " + EVENTS + " records"),
        () -> KillLoop.tail(first));
    TableContents.assertEachEventOnce(table, EVENTS, SEED);

    Path secondLog = dir.resolve("run-2.log");
    PipelineProcess second = runUntil(config, secondLog, ", 0 records read, lag 0");
    assertEquals(0, second.terminate(90), () -> KillLoop.tail(second));
    assertEquals(1, count(secondLog, "sluice: pipeline 'run-stop' stopped: 0 records"),
        () -> KillLoop.tail(second));
    assertEquals(0, count(secondLog, "cancelling"), () -> KillLoop.tail(second));
    TableContents.assertEachEventOnce(table, EVENTS, SEED);
  }

  @Test
  void aStopPastItsTimeoutIsCancelledNamingTheCheckpointReadAgainFrom(LocalKafkaBroker broker,
      @TempDir Path dir) throws Exception {
    Path log = dir.resolve("run.log");
    PipelineProcess run = runUntil(pipeline(broker, dir, "run-cancel"), log,
        " " + EVENTS + " records read, lag 0", "--stop-timeout", "1ms");
    assertEquals(0, run.terminate(90), "a cancelled stop loses nothing: the next run re-reads");
    assertEquals(1, count(log, "sluice: the final checkpoint did not complete within 1ms; "
        + "cancelling: data after checkpoint "), () -> KillLoop.tail(run));
    assertEquals(0, TableContents.rows(new DeltaTableReader(dir.resolve("table").toString())),
        "the cancelled stop committed nothing");
  }

  /** {@code sluice run} with progress lines every 200 ms, once one of them contains {@code line}. */
  private PipelineProcess runUntil(Path config, Path log, String line, String... options)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("run", config.toString(), "--progress-interval",
        "200ms"));
    args.addAll(List.of(options));
    PipelineProcess run = PipelineProcess.start(log, args.toArray(String[]::new));
    started.add(run);
    run.await("a progress line with '" + line + "'", 90, () -> count(log, line) > 0);
    return run;
  }

  /** Pipeline {@code topic} of the events of a new topic, checkpointing once an hour. */
  private static Path pipeline(LocalKafkaBroker broker, Path dir, String topic) throws Exception {
    broker.createTopic(topic, 2);
    SyntheticEvents.produce(broker.bootstrapServers(), topic, SEED, 0, EVENTS);
    Path file = dir.resolve(topic + ".yaml");
    Files.writeString(file, SyntheticEventsPipeline.yaml(topic, broker.bootstrapServers(), topic,
        false, 2, dir.resolve("table").toString(), "", "1h", dir.resolve("checkpoints"), ""));
    return file;
  }

  private static long count(Path log, String part) {
    try {
      return Files.readAllLines(log).stream().filter(line -> line.contains(part)).count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
