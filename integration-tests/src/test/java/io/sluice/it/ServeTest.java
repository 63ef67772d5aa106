package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.testing.DeltaTableReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice serve} in its own JVM: three pipelines, one of which fails for good while the
 * others commit; SIGTERM stops them with a final checkpoint, so that the process exits 0 and the
 * next start re-reads nothing: each pipeline's records read before the stop are all committed, and
 * after the restart it reads only what it had not read.
 */
@ExtendWith(LocalKafkaExtension.class)
class ServeTest {
  private static final String TOKEN = "it-token";
  private static final Pattern STOPPED = Pattern.compile(
      "pipeline (\\w+) stopped: (\\d+) records read, (\\d+) committed, last checkpoint (\\d+)");
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void sigtermStopsEveryPipelineWithAFinalCheckpointAndNothingIsReadTwice(
      LocalKafkaBroker broker, @TempDir Path dir) throws Exception {
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    for (String name : List.of("one", "two")) {
      broker.createTopic(name, 2);
      Files.writeString(pipelines.resolve(name + ".yaml"), SyntheticEventsPipeline.yaml(name,
          broker.bootstrapServers(), name, false, 2, dir.resolve(name).toString(), "", "1s",
          dir.resolve("checkpoints").resolve(name), ""));
    }
    Files.writeString(dir.resolve("a-file"), "not a table");
    Files.writeString(pipelines.resolve("broken.yaml"), SyntheticEventsPipeline.yaml("broken",
        broker.bootstrapServers(), "one", false, 1, dir.resolve("a-file").toString(), "", "1s",
        dir.resolve("checkpoints").resolve("broken"), ""));
    Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String[] serve = {"serve", pipelines.toString(), "--admin", "127.0.0.1:" + port,
        "--admin-token-file", tokenFile.toString(), "--max-failures", "2"};
    long[] produced = {0, 0};

    PipelineProcess first = PipelineProcess.start(dir.resolve("first.log"), serve);
    String base = "http://127.0.0.1:" + port;
    produce(broker, "one", 0, 3_000, produced);
    produce(broker, "two", 1, 2_000, produced);
    awaitApi(base, first, api -> committed(api, "one") == 3_000 && committed(api, "two") == 2_000
        && state(api, "broken").equals("FAILED"));
    // More records, and the stop while they are being read.
    produce(broker, "one", 0, 5_000, produced);
    produce(broker, "two", 1, 5_000, produced);
    awaitApi(base, first, api -> read(api, "one") > 3_000 || read(api, "two") > 2_000);
    assertEquals(0, first.terminate(120), () -> KillLoop.tail(first));
    String log = first.logTail();
    long[] readBefore = new long[2];
    Matcher m = STOPPED.matcher(Files.readString(dir.resolve("first.log")));
    int stopped = 0;
    while (m.find()) {
      int i = m.group(1).equals("one") ? 0 : 1;
      readBefore[i] = Long.parseLong(m.group(2));
      assertEquals(m.group(2), m.group(3), "everything read was committed by the stop: " + log);
      stopped++;
    }
    assertEquals(2, stopped, log);
    assertEquals(readBefore[0], rows(dir.resolve("one")));
    assertEquals(readBefore[1], rows(dir.resolve("two")));

    PipelineProcess second = PipelineProcess.start(dir.resolve("second.log"), serve);
    awaitApi(base, second, api -> committed(api, "one") == produced[0] - readBefore[0]
        && committed(api, "two") == produced[1] - readBefore[1]);
    JsonNode one = get(base, "/api/v1/pipelines/one");
    JsonNode two = get(base, "/api/v1/pipelines/two");
    assertEquals(produced[0] - readBefore[0], one.path("source").path("recordsRead").asLong(),
        "re-read after the restart: " + one);
    assertEquals(produced[1] - readBefore[1], two.path("source").path("recordsRead").asLong(),
        "re-read after the restart: " + two);
    assertEquals(0, second.terminate(120), () -> KillLoop.tail(second));
    assertEquals(produced[0], rows(dir.resolve("one")));
    assertEquals(produced[1], rows(dir.resolve("two")));
  }

  private static void produce(LocalKafkaBroker broker, String topic, int i, int count,
      long[] produced) {
    SyntheticEvents.produce(broker.bootstrapServers(), topic, 100 + i, produced[i], count);
    produced[i] += count;
  }

  private static long rows(Path table) throws Exception {
    List<Object[]> ids = new DeltaTableReader(table.toString()).read(List.of("event_id"));
    assertEquals(ids.size(), ids.stream().map(r -> r[0]).distinct().count(), "duplicates");
    return ids.size();
  }

  private interface ApiCheck {
    boolean holds(JsonNode pipelines) throws Exception;
  }

  /** Waits until the pipelines' details, by name, satisfy {@code check}. */
  private void awaitApi(String base, PipelineProcess process, ApiCheck check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (true) {
      assertTrue(process.isAlive(), () -> KillLoop.tail(process));
      assertTrue(System.nanoTime() < deadline, () -> KillLoop.tail(process));
      try {
        com.fasterxml.jackson.databind.node.ObjectNode byName = json.createObjectNode();
        for (JsonNode p : get(base, "/api/v1/pipelines").get("pipelines")) {
          byName.set(p.get("name").asText(), get(base, "/api/v1/pipelines/" + p.get("name").asText()));
        }
        if (check.holds(byName)) {
          return;
        }
      } catch (java.io.IOException notListeningYet) {
        // the admin server starts with the process
      }
      Thread.sleep(200);
    }
  }

  private static long committed(JsonNode api, String name) {
    return api.path(name).path("recordsCommitted").asLong(-1);
  }

  private static long read(JsonNode api, String name) {
    return api.path(name).path("source").path("recordsRead").asLong(-1);
  }

  private static String state(JsonNode api, String name) {
    return api.path(name).path("state").asText();
  }

  private JsonNode get(String base, String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return json.readTree(response.body());
  }
}
