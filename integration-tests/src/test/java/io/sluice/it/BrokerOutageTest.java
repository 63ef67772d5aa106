package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.testing.DeltaTableReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The only broker stopped for 15 s under a streaming pipeline process, then started again on its
 * data and port: the pipeline says in its own words, within seconds, which broker it cannot reach
 * and since when, its progress lines show the lag as unknown, the Kafka clients' connection
 * warnings show once each, and it says when the broker is back, then ingests what was produced
 * after it; no restart (none is allowed), every event in the table exactly once.
 */
class BrokerOutageTest {
  private static final long SEED = 20261127L;
  private static final int EVENTS = 5_000;
  private static final String TOPIC = "broker-outage";
  private static final Duration OUTAGE = Duration.ofSeconds(15);
  /** The pipeline's warning must come this soon after the broker stopped. */
  private static final long TOLD_WITHIN_SECONDS = 15;
  /** The exit code of a JVM that stopped on SIGTERM. */
  /** A stop on SIGTERM that committed its final checkpoint is a success. */
  private static final int SIGTERM_EXIT = 0;

  @Test
  void aBrokerOutageIsToldWithTheLagUnknownAndRiddenOut(@TempDir Path dir) throws Exception {
    Path kafkaDir = dir.resolve("kafka");
    LocalKafkaBroker broker = LocalKafkaBroker.start(kafkaDir);
    int port = broker.port();
    String bootstrap = broker.bootstrapServers();
    Path log = dir.resolve("run.log");
    PipelineProcess pipeline = null;
    try {
      broker.createTopic(TOPIC, 2);
      SyntheticEvents.produce(bootstrap, TOPIC, SEED, 0, EVENTS);
      Path config = dir.resolve("outage.yaml");
      Files.writeString(config, SyntheticEventsPipeline.yaml("outage-pipeline", bootstrap, TOPIC,
          false, 2, dir.resolve("table").toString(), "", "500ms", dir.resolve("checkpoints"), ""));
      pipeline = PipelineProcess.start(log, "run", config.toString(), "--progress-interval", "1s");
      PipelineProcess running = pipeline;
      running.await("every event read with lag 0", 90, () -> lines(log, line ->
          line.startsWith("sluice: checkpoint ") && line.contains(EVENTS + " records read, lag 0"))
          > 0);

      broker.close();
      long stopped = System.nanoTime();
      String unreachable = "WARN KafkaSource - Kafka broker " + bootstrap + " unreachable since ";
      running.await("the pipeline's own outage warning", TOLD_WITHIN_SECONDS,
          () -> lines(log, line -> line.contains(unreachable)) > 0);
      System.out.printf("outage told %.1f s after the broker stopped%n",
          (System.nanoTime() - stopped) / 1e9);
      running.await("a progress line with the lag unknown", 10, () -> lines(log,
          line -> line.contains(" records read, lag unknown (Kafka unreachable since ")) > 0);
      // The outage itself lasts its time: nothing to wait for but the clock.
      Thread.sleep(Math.max(0, OUTAGE.toMillis()
          - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped)));

      broker = LocalKafkaBroker.start(kafkaDir, port, Map.of());
      String back = "INFO KafkaSource - Kafka broker " + bootstrap + " reachable again after ";
      running.await("the pipeline saying the broker is back", 30,
          () -> lines(log, line -> line.contains(back)) > 0);
      SyntheticEvents.produce(bootstrap, TOPIC, SEED, EVENTS, EVENTS);
      DeltaTableReader reader = new DeltaTableReader(dir.resolve("table").toString());
      running.await("every event in the table", 60, () -> TableContents.rows(reader) >= 2 * EVENTS);
      assertEquals(SIGTERM_EXIT, pipeline.terminate(30), () -> KillLoop.tail(running));
      pipeline = null;

      TableContents.assertEachEventOnce(reader, 2 * EVENTS, SEED);
      List<String> all = Files.readAllLines(log);
      List<String> progress = all.subList(indexOf(all, unreachable), indexOf(all, back)).stream()
          .filter(line -> line.startsWith("sluice: checkpoint ")).toList();
      assertTrue(!progress.isEmpty() && progress.stream().allMatch(line -> line.contains(
          " records read, lag unknown (Kafka unreachable since ")), "while unreachable: " + progress);
      List<String> shown = all.stream().filter(line -> line.contains("WARN NetworkClient")).toList();
      System.out.println("Kafka client warnings shown:\n" + String.join("\n", shown));
      assertEquals(shown.size(), shown.stream().map(BrokerOutageTest::withoutClient)
          .collect(Collectors.toSet()).size(), "each Kafka client warning once in a minute");
      assertEquals(0, lines(log, line -> line.contains("restarting")), "ridden out, no restart");
    } finally {
      if (pipeline != null) {
        pipeline.kill();
      }
      broker.close();
    }
  }

  /** A NetworkClient warning without its time, thread and client prefix. */
  private static String withoutClient(String line) {
    return line.replaceAll("^.*WARN NetworkClient - \\[[^\\]]*\\] ", "");
  }

  private static int indexOf(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }

  private static long lines(Path log, Predicate<String> matching) {
    try (Stream<String> lines = Files.lines(log)) {
      return lines.filter(matching).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
