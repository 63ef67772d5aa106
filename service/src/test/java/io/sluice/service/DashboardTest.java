package io.sluice.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.service.internal.serve.ManagedPipeline;
import io.sluice.service.internal.serve.Serve;
import io.sluice.service.internal.serve.ServeOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless Chromium against a running service: it shows each pipeline
 * with its state, throughput, lag chart, last checkpoint and commit, and the failed one's error;
 * the page is saved as a screenshot ({@code service/target/dashboard.png}; the copy in {@code
 * docs/} comes from it). CI installs Debian's chromium first ({@code .ci/run}).
 */
@ExtendWith(LocalKafkaExtension.class)
@Timeout(180)
class DashboardTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final String TOKEN = "dash-token";
  @TempDir Path dir;

  @Test
  void showsEveryPipelineWithItsStateThroughputCheckpointsAndErrors(LocalKafkaBroker broker)
      throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed here "
        + "(.ci/run installs it)");
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    for (String name : List.of("orders", "clicks")) {
      broker.createTopic(name, 2);
      SyntheticEvents.produce(broker.bootstrapServers(), name, 3, 0, 2_000);
      Files.writeString(pipelines.resolve(name + ".yaml"), SyntheticEventsPipeline.yaml(name,
          broker.bootstrapServers(), name, false, 2, dir.resolve(name).toString(), "", "500ms",
          dir.resolve("checkpoints").resolve(name), ""));
    }
    Files.writeString(dir.resolve("file"), "x");
    Files.writeString(pipelines.resolve("refunds.yaml"), SyntheticEventsPipeline.yaml("refunds",
        broker.bootstrapServers(), "orders", false, 1, dir.resolve("file").toString(), "", "1s",
        dir.resolve("checkpoints").resolve("refunds"), ""));
    try (Serve serve = new Serve(pipelines, new InetSocketAddress("127.0.0.1", 0), TOKEN,
        new ServeOptions(Duration.ofSeconds(30), 1, Duration.ofMillis(100), Duration.ofMillis(100),
            Duration.ofMillis(500)), new PrintStream(new ByteArrayOutputStream()))) {
      serve.start();
      awaitCommitted(serve, "orders", 2_000);
      awaitCommitted(serve, "clicks", 2_000);
      String base = "http://127.0.0.1:" + serve.adminAddress().getPort();
      // Keep records coming until the service holds a few points of history to chart.
      long produced = 2_000;
      while (history(base, "orders") < 3) {
        SyntheticEvents.produce(broker.bootstrapServers(), "orders", 3, produced, 300);
        SyntheticEvents.produce(broker.bootstrapServers(), "clicks", 3, produced, 150);
        produced += 300;
        Thread.sleep(250);
      }
      String url = base + "/#token=" + TOKEN;

      String dom = chromium("--dump-dom", url);
      for (String expected : List.of("data-pipeline=\"orders\"", "data-pipeline=\"clicks\"",
          "data-pipeline=\"refunds\"", "state RUNNING", "state FAILED", "3 pipelines, 1 failed",
          "<svg class=\"chart\"", "version ")) {
        assertTrue(dom.contains(expected), "the page lacks " + expected + ":\n" + dom);
      }
      assertTrue(dom.contains("not-a-table") || dom.contains(dir.resolve("file").toString())
          || dom.contains("class=\"error\">"), dom);

      Path screenshot = Path.of("target", "dashboard.png").toAbsolutePath();
      Files.deleteIfExists(screenshot);
      chromium("--screenshot=" + screenshot, "--window-size=1500,420", url);
      assertTrue(Files.size(screenshot) > 10_000, "screenshot " + screenshot);

      // Without the token the page asks for it instead of showing pipelines.
      String locked = chromium("--dump-dom", url.substring(0, url.indexOf('#')));
      assertTrue(locked.contains("token needed"), locked);
    }
  }

  /** The points of history the API gives for {@code pipeline}. */
  private static int history(String base, String pipeline) throws Exception {
    java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/v1/pipelines/"
            + pipeline)).header("Authorization", "Bearer " + TOKEN).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body())
        .path("history").size();
  }

  private static void awaitCommitted(Serve serve, String name, long records) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (serve.pipelines().pipeline(name).map(ManagedPipeline::totals)
        .map(t -> t.recordsCommitted()).orElse(0L) < records) {
      assertTrue(System.nanoTime() < deadline, name + " did not commit " + records);
      Thread.sleep(100);
    }
  }

  /** Runs headless Chromium on the page, its scripts given 6 s of virtual time; its stdout. */
  private String chromium(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(CHROMIUM.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
        "--user-data-dir=" + dir.resolve("chromium-profile"), "--virtual-time-budget=6000"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(dir.resolve("chromium.log").toFile())
        .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish");
    assertEquals(0, p.exitValue(), () -> "chromium failed: " + log());
    return new String(out, StandardCharsets.UTF_8);
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("chromium.log"));
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
