package io.sluice.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.service.internal.serve.Serve;
import io.sluice.service.internal.serve.ServeOptions;
import io.sluice.testing.DeltaTableReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice serve} in this JVM against the local broker: pipelines of a directory supervised
 * on their own, the directory followed, and every endpoint of the admin API.
 */
@ExtendWith(LocalKafkaExtension.class)
@Timeout(240)
class ServeTest {
  private static final String TOKEN = "s3cret-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SEED = 8;
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private Serve serve;
  private String base;

  @AfterEach
  void stop() {
    if (serve != null) {
      serve.close();
    }
  }

  private Path pipeline(String id, String topic, LocalKafkaBroker broker, String table)
      throws Exception {
    Path file = dir.resolve("pipelines").resolve(id + ".yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, SyntheticEventsPipeline.yaml(id, broker.bootstrapServers(), topic,
        false, 2, table, "", "300ms", dir.resolve("checkpoints").resolve(id), ""));
    return file;
  }

  private void startServe() throws Exception {
    serve = new Serve(dir.resolve("pipelines"), new InetSocketAddress("127.0.0.1", 0), TOKEN,
        new ServeOptions(Duration.ofSeconds(30), 2, Duration.ofMillis(100),
            Duration.ofMillis(200), Duration.ofMillis(200)),
        new PrintStream(new ByteArrayOutputStream()));
    serve.start();
    base = "http://127.0.0.1:" + serve.adminAddress().getPort();
  }

  @Test
  void pipelinesRunOnTheirOwnFollowTheDirectoryAndAnswerTheApi(LocalKafkaBroker broker)
      throws Exception {
    broker.createTopic("a", 2);
    broker.createTopic("b", 2);
    SyntheticEvents.produce(broker.bootstrapServers(), "a", SEED, 0, 500);
    SyntheticEvents.produce(broker.bootstrapServers(), "b", SEED + 1, 0, 700);
    pipeline("alpha", "a", broker, dir.resolve("alpha").toString());
    pipeline("beta", "b", broker, dir.resolve("beta").toString());
    // A table path that is a regular file: every start fails, so it ends FAILED.
    Files.writeString(dir.resolve("not-a-table"), "x");
    pipeline("broken", "a", broker, dir.resolve("not-a-table").toString());
    Files.writeString(dir.resolve("pipelines").resolve("invalid.yaml"), "pipeline: [oops\n");
    startServe();

    await("alpha and beta commit everything, broken fails for good", () -> {
      JsonNode alpha = get("/api/v1/pipelines/alpha").json;
      JsonNode beta = get("/api/v1/pipelines/beta").json;
      return alpha.path("recordsCommitted").asLong() == 500
          && beta.path("recordsCommitted").asLong() == 700
          && state("broken").equals("FAILED");
    });
    assertEquals(500, rows(dir.resolve("alpha")));
    assertEquals(700, rows(dir.resolve("beta")));

    Reply list = get("/api/v1/pipelines");
    assertEquals(200, list.status);
    List<String> names = new ArrayList<>();
    list.json.get("pipelines").forEach(p -> names.add(p.get("name").asText()));
    assertEquals(List.of("alpha", "beta", "broken", "invalid"), names);
    assertEquals("FAILED", state("invalid"));
    assertTrue(get("/api/v1/pipelines/invalid").json.path("lastError").path("message").asText()
        .contains("invalid.yaml:1:"), get("/api/v1/pipelines/invalid").body);
    JsonNode broken = get("/api/v1/pipelines/broken").json;
    assertFalse(broken.path("lastError").isNull(), broken.toString());

    JsonNode alpha = get("/api/v1/pipelines/alpha").json;
    assertEquals("RUNNING", alpha.get("state").asText());
    assertEquals(500, alpha.path("source").path("recordsRead").asLong());
    assertEquals(2, alpha.path("source").path("partitions").size(), alpha.toString());
    long offsets = 0;
    for (JsonNode p : alpha.path("source").path("partitions")) {
      offsets += p.get("offset").asLong();
      assertEquals(0, p.get("lag").asLong(), alpha.toString());
    }
    assertEquals(500, offsets);
    assertTrue(alpha.path("checkpoint").path("id").asLong() > 0, alpha.toString());
    assertTrue(alpha.path("table").path("version").asLong() > 0, alpha.toString());
    assertTrue(alpha.path("table").path("filesWritten").asLong() > 0, alpha.toString());

    // Actions.
    long checkpoint = post("/api/v1/pipelines/alpha/checkpoint", "").json.get("checkpoint").asLong();
    assertTrue(checkpoint > alpha.path("checkpoint").path("id").asLong());
    assertEquals(202, post("/api/v1/pipelines/alpha/pause", "").status);
    assertEquals("PAUSED", state("alpha"));
    SyntheticEvents.produce(broker.bootstrapServers(), "a", SEED, 500, 100);
    long afterPause = post("/api/v1/pipelines/alpha/checkpoint", "").json.get("checkpoint").asLong();
    assertTrue(afterPause > checkpoint);
    assertEquals(500, get("/api/v1/pipelines/alpha").json.path("source").path("recordsRead").asLong(),
        "read while paused");
    assertEquals(202, post("/api/v1/pipelines/alpha/resume", "").status);
    await("alpha reads the records sent while paused",
        () -> get("/api/v1/pipelines/alpha").json.path("recordsCommitted").asLong() == 600);
    assertEquals(202, post("/api/v1/pipelines/beta/stop", "").status);
    await("beta stops", () -> state("beta").equals("STOPPED"));
    assertEquals(409, post("/api/v1/pipelines/beta/pause", "").status);
    assertEquals(202, post("/api/v1/pipelines/beta/start", "").status);
    await("beta runs again", () -> state("beta").equals("RUNNING"));
    assertEquals(409, post("/api/v1/pipelines/beta/start", "").status, "already running");
    Path savepoint = dir.resolve("savepoint-beta");
    assertEquals(202, post("/api/v1/pipelines/beta/savepoint",
        "{\"directory\": \"" + savepoint + "\"}").status);
    await("beta stops with a savepoint",
        () -> state("beta").equals("STOPPED") && Files.exists(savepoint.resolve("_metadata")));
    assertEquals(700, rows(dir.resolve("beta")));

    // Errors: JSON, never a stack trace.
    assertError(get("/api/v1/pipelines/nope"), 404, "no pipeline named 'nope'");
    assertError(post("/api/v1/pipelines/alpha/explode", ""), 404, "no action 'explode'");
    assertError(send("DELETE", "/api/v1/pipelines/alpha", "", TOKEN), 405, "DELETE is not allowed");
    assertError(post("/api/v1/pipelines/alpha/savepoint", "{not json"), 400, "not valid JSON");
    assertError(post("/api/v1/pipelines/alpha/savepoint", "{\"dir\": 1}"), 400, "directory");
    assertError(send("GET", "/api/v1/pipelines", "", null), 401, "Authorization: Bearer");
    assertError(send("GET", "/api/v1/pipelines", "", "wrong"), 401, "wrong admin token");
    assertError(send("POST", "/api/v1/pipelines/alpha/stop", "", "wrong"), 401, "wrong admin token");
    assertError(get("/nothing-here"), 404, "no such endpoint");

    // Open endpoints.
    assertEquals(200, send("GET", "/healthz", "", null).status);
    Reply ready = send("GET", "/readyz", "", null);
    assertEquals(503, ready.status, "broken and invalid failed");
    assertEquals("FAILED", ready.json.path("notReady").path("broken").asText(), ready.body);
    Reply metrics = send("GET", "/metrics", "", null);
    assertEquals(200, metrics.status);
    assertTrue(metrics.body.contains("sluice_source_records_total{pipeline=\"alpha\"} 600.0"),
        metrics.body);
    assertTrue(metrics.body.contains("sluice_sink_records_committed_total{pipeline=\"alpha\"} 600.0"),
        metrics.body);
    assertTrue(metrics.body.contains("sluice_source_partition_lag{partition=\"0\",pipeline=\"alpha\"}"),
        metrics.body);
    assertTrue(metrics.body.contains("sluice_commit_latency_seconds_bucket{pipeline=\"alpha\""),
        metrics.body);
    assertTrue(metrics.body.contains("sluice_source_records_dead_lettered_total{pipeline=\"alpha\"} 0.0"),
        metrics.body);
    assertTrue(metrics.body.contains("jvm_memory_used_bytes"), "JVM metrics");
    Reply page = send("GET", "/", "", null);
    assertEquals(200, page.status);
    assertTrue(page.body.contains("<title>Sluice</title>"));

    // The directory: a file added starts, a file removed stops (with a final checkpoint).
    broker.createTopic("c", 1);
    SyntheticEvents.produce(broker.bootstrapServers(), "c", SEED + 2, 0, 300);
    pipeline("gamma", "c", broker, dir.resolve("gamma").toString());
    await("gamma is picked up and commits",
        () -> get("/api/v1/pipelines/gamma").json.path("recordsCommitted").asLong() == 300);
    Files.delete(dir.resolve("pipelines").resolve("alpha.yaml"));
    await("alpha is gone", () -> get("/api/v1/pipelines/alpha").status == 404);
    assertFalse(send("GET", "/metrics", "", null).body.contains("pipeline=\"alpha\""),
        "a removed pipeline's meters go with it");
    assertEquals(600, rows(dir.resolve("alpha")));
    assertEquals(300, rows(dir.resolve("gamma")));
  }

  private String state(String name) throws Exception {
    return get("/api/v1/pipelines/" + name).json.path("state").asText();
  }

  private static long rows(Path table) throws Exception {
    List<Object[]> ids = new DeltaTableReader(table.toString()).read(List.of("event_id"));
    assertEquals(ids.size(), ids.stream().map(r -> r[0]).distinct().count(), "duplicates");
    return ids.size();
  }

  private static void assertError(Reply reply, int status, String message) {
    assertEquals(status, reply.status, reply.body);
    assertNotNull(reply.json, reply.body);
    assertTrue(reply.json.path("error").asText().contains(message), reply.body);
    assertFalse(reply.body.contains("\tat "), "no stack trace");
  }

  private record Reply(int status, String body, JsonNode json) {}

  private Reply get(String path) throws Exception {
    return send("GET", path, "", TOKEN);
  }

  private Reply post(String path, String body) throws Exception {
    return send("POST", path, body, TOKEN);
  }

  private Reply send(String method, String path, String body, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = null;
    if (response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
      json = JSON.readTree(response.body());
    }
    return new Reply(response.statusCode(), response.body(), json);
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void await(String what, Check condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(100);
    }
  }
}
