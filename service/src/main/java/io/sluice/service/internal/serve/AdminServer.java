package io.sluice.service.internal.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.catalog.CommitLatencies;
import io.sluice.catalog.CommitLatency;
import io.sluice.engine.JobStatus;
import io.sluice.kafka.KafkaSourceMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP server of {@code sluice serve}, on the JDK's built-in server (a handful of JSON
 * endpoints need no framework): the API under {@code /api/v1/} behind a bearer token, {@code
 * /healthz}, {@code /readyz}, {@code /metrics} (Prometheus text format) and the dashboard page at
 * {@code /}. Every error is a JSON {@code {"error": "..."}}, never a stack trace.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CHECKPOINT_WAIT = Duration.ofSeconds(60);
  private static final String API = "/api/v1/pipelines";

  private final PipelineService service;
  private final ServiceMetrics metrics;
  private final RateSampler rates;
  private final byte[] token;
  private final HttpServer server;
  private final ExecutorService executor;

  /** A request that cannot be served: its HTTP status and why. */
  private static final class HttpError extends RuntimeException {
    final int status;

    HttpError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /**
   * @param token the bearer token the API requires, or null for none (loopback only)
   */
  public AdminServer(InetSocketAddress address, String token, PipelineService service,
      ServiceMetrics metrics, RateSampler rates) throws IOException {
    this.service = service;
    this.metrics = metrics;
    this.rates = rates;
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.server = HttpServer.create(address, 64);
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "sluice-admin");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  public void start() {
    server.start();
  }

  /** The address it listens on (with the port chosen when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        route(exchange);
      } catch (HttpError e) {
        send(exchange, e.status, Map.of("error", e.getMessage()));
      } catch (RuntimeException e) {
        LOG.warn("admin request {} {} failed", exchange.getRequestMethod(),
            exchange.getRequestURI(), e);
        send(exchange, 500, Map.of("error", "internal error: " + e));
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    switch (path) {
      case "/healthz" -> {
        requireMethod(method, "GET");
        send(exchange, 200, Map.of("status", "ok"));
      }
      case "/readyz" -> {
        requireMethod(method, "GET");
        Map<String, String> notReady = service.notReady();
        send(exchange, notReady.isEmpty() ? 200 : 503,
            Map.of("ready", notReady.isEmpty(), "notReady", notReady));
      }
      case "/metrics" -> {
        requireMethod(method, "GET");
        sendText(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
      }
      case "/", "/index.html" -> {
        requireMethod(method, "GET");
        sendText(exchange, 200, "text/html; charset=utf-8", dashboard());
      }
      default -> {
        if (!path.equals(API) && !path.startsWith(API + "/")) {
          throw new HttpError(404, "no such endpoint: " + path + " (the API is under "
              + API + ")");
        }
        authenticate(exchange);
        api(exchange, method, path.substring(API.length()));
      }
    }
  }

  /** Bearer token, compared in constant time. */
  private void authenticate(HttpExchange exchange) {
    if (token == null) {
      return;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    byte[] given = header != null && header.startsWith("Bearer ")
        ? header.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (!MessageDigest.isEqual(token, given)) {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
      throw new HttpError(401, header == null
          ? "the admin API needs an Authorization: Bearer <token> header"
          : "wrong admin token");
    }
  }

  private void api(HttpExchange exchange, String method, String rest) throws IOException {
    List<String> parts = new ArrayList<>(List.of(rest.split("/")));
    parts.removeIf(String::isEmpty);
    if (parts.isEmpty()) {
      requireMethod(method, "GET");
      List<Map<String, Object>> list = new ArrayList<>();
      for (ManagedPipeline p : service.pipelines()) {
        list.add(summary(p));
      }
      send(exchange, 200, Map.of("pipelines", list));
      return;
    }
    String name = URI.create("/" + parts.get(0)).getPath().substring(1);
    ManagedPipeline p = service.pipeline(name)
        .orElseThrow(() -> new HttpError(404, "no pipeline named '" + name + "'"));
    if (parts.size() == 1) {
      requireMethod(method, "GET");
      send(exchange, 200, details(p));
      return;
    }
    if (parts.size() > 2) {
      throw new HttpError(404, "no such endpoint: " + exchange.getRequestURI().getPath());
    }
    String action = parts.get(1);
    if (!List.of("stop", "start", "pause", "resume", "checkpoint", "savepoint").contains(action)) {
      throw new HttpError(404, "no action '" + action + "': use stop, start, pause, resume, "
          + "checkpoint or savepoint");
    }
    requireMethod(method, "POST");
    JsonNode body = body(exchange);
    try {
      switch (action) {
        case "stop" -> p.requestStop();
        case "start" -> p.start();
        case "pause" -> p.pause();
        case "resume" -> p.resume();
        case "checkpoint" -> {
          long id = awaitCheckpoint(p);
          send(exchange, 200, Map.of("name", p.name(), "checkpoint", id));
          return;
        }
        default -> {
          JsonNode directory = body == null ? null : body.get("directory");
          if (directory == null || !directory.isTextual() || directory.asText().isBlank()) {
            throw new HttpError(400, "savepoint needs a JSON body {\"directory\": \"/path\"}");
          }
          try {
            p.requestSavepoint(Path.of(directory.asText()));
          } catch (IllegalArgumentException e) {
            throw new HttpError(400, e.getMessage());
          }
        }
      }
    } catch (IllegalStateException e) {
      throw new HttpError(409, e.getMessage());
    }
    send(exchange, 202, Map.of("name", p.name(), "action", action, "state", p.state().name()));
  }

  private static long awaitCheckpoint(ManagedPipeline p) {
    try {
      return p.checkpoint().get(CHECKPOINT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new HttpError(504, "no checkpoint committed within " + CHECKPOINT_WAIT.toSeconds()
          + " s; it may still complete");
    } catch (ExecutionException e) {
      throw new HttpError(409, e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpError(503, "the service is stopping");
    }
  }

  /** The request's JSON body, null when empty. */
  private static JsonNode body(HttpExchange exchange) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(64 * 1024);
    }
    if (bytes.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new HttpError(400, "the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw new HttpError(405, method + " is not allowed here; use " + allowed);
    }
  }

  private Map<String, Object> summary(ManagedPipeline p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("state", p.state().name());
    m.put("file", p.file().toString());
    m.put("paused", p.paused());
    m.put("restarts", p.restarts());
    m.put("recordsPerSecond", rates.recordsPerSecond(p));
    OptionalLong lag = p.lag();
    m.put("lag", lag.isPresent() ? lag.getAsLong() : null);
    return m;
  }

  private Map<String, Object> details(ManagedPipeline p) {
    Map<String, Object> m = summary(p);
    m.put("lastError", p.lastError().map(e -> Map.of("at", e.at().toString(),
        "message", e.message())).orElse(null));
    p.config().ifPresent(config -> {
      ManagedPipeline.Totals totals = p.totals();
      Optional<KafkaSourceMetrics> source = p.source();
      Map<String, Object> in = new LinkedHashMap<>();
      in.put("topic", config.source().topic());
      in.put("recordsRead", totals.recordsRead());
      in.put("bytesRead", totals.bytesRead());
      in.put("recordsPerSecond", rates.recordsPerSecond(p));
      in.put("lag", m.get("lag"));
      in.put("brokersUnreachableSince", source.flatMap(KafkaSourceMetrics::brokersUnreachableSince)
          .map(Object::toString).orElse(null));
      List<Map<String, Object>> partitions = new ArrayList<>();
      Map<Integer, Long> positions = source.map(KafkaSourceMetrics::partitionPositions)
          .orElse(Map.of());
      Map<Integer, Long> lag = p.partitionLag();
      for (Integer partition : new TreeMap<>(positions).keySet()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("partition", partition);
        row.put("offset", positions.get(partition));
        row.put("lag", lag.get(partition));
        partitions.add(row);
      }
      in.put("partitions", partitions);
      m.put("source", in);
      m.put("checkpoint", p.jobStatus().flatMap(JobStatus::lastCheckpoint)
          .map(AdminServer::checkpoint).orElse(null));
      Map<String, Object> table = new LinkedHashMap<>();
      table.put("name", config.sink().table());
      Optional<CommitLatencies> commits = p.commits();
      long version = commits.map(CommitLatencies::lastTableVersion).orElse(-1L);
      table.put("version", version < 0 ? null : version);
      long count = commits.map(CommitLatencies::count).orElse(0L);
      table.put("commits", count);
      table.put("commitLatencyMs", count == 0 ? null : Map.of(
          "p50", commits.get().percentile(CommitLatency::total, 0.5).toMillis(),
          "p99", commits.get().percentile(CommitLatency::total, 0.99).toMillis()));
      table.put("filesWritten", totals.filesWritten());
      table.put("bytesWritten", totals.bytesWritten());
      m.put("table", table);
      m.put("recordsCommitted", totals.recordsCommitted());
      m.put("recordsSkipped", totals.recordsSkipped());
      m.put("recordsDeadLettered", totals.recordsDeadLettered());
      m.put("history", rates.history(p).stream().map(point -> {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("at", point.at().toString());
        h.put("recordsPerSecond", point.recordsPerSecond());
        h.put("lag", point.lag());
        return h;
      }).toList());
    });
    return m;
  }

  private static Map<String, Object> checkpoint(JobStatus.CheckpointStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("completedAt", s.completedAt().toString());
    m.put("durationMs", s.duration().toMillis());
    m.put("commitMs", s.commitDuration().toMillis());
    m.put("stateBytes", s.stateBytes());
    m.put("records", s.records());
    return m;
  }

  private static String dashboard() throws IOException {
    try (InputStream in = AdminServer.class.getResourceAsStream("dashboard.html")) {
      if (in == null) {
        throw new HttpError(404, "the dashboard page is missing from this build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void send(HttpExchange exchange, int status, Object body) throws IOException {
    sendText(exchange, status, "application/json", JSON.writeValueAsString(body));
  }

  private static void sendText(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
