package io.sluice.catalogserver.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.unitycatalog.client.model.CreateCatalog;
import io.unitycatalog.client.model.CreateSchema;
import io.unitycatalog.client.model.CreateStagingTable;
import io.unitycatalog.client.model.CreateTable;
import io.unitycatalog.client.model.DeltaCommit;
import io.unitycatalog.client.model.DeltaGetCommits;
import io.unitycatalog.client.model.GetMetastoreSummaryResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves Unity Catalog's REST API ({@code /api/2.1/unity-catalog}, as in unitycatalog/unitycatalog
 * {@code api/all.yaml} at v0.6.0) from a {@link CatalogStore}: the Delta commits API ({@code GET}
 * with a JSON body, and {@code POST}), staging tables, tables, catalogs, schemas and the metastore
 * summary. Requests pass the bearer-token check and the {@link FaultHooks} first.
 */
public final class ApiHandler implements HttpHandler {
  public static final String BASE_PATH = "/api/2.1/unity-catalog";
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  /** The faults the handler consults; implemented by the server's fault switchboard. */
  public interface FaultHooks {
    /** An HTTP status to answer with instead of handling the request, if any. */
    Optional<Integer> beforeRequest(boolean isCommit) throws InterruptedException;

    /** True when the answer of a just ratified commit must be lost (after an optional hold). */
    boolean loseAnswerAfterAccept() throws InterruptedException;

    /** Counts an answered or lost commit request, for tests. */
    void recordCommit(DeltaCommit commit, int status);
  }

  private final CatalogStore store;
  private final ObjectMapper json;
  private final String token;
  private final FaultHooks faults;

  public ApiHandler(CatalogStore store, ObjectMapper json, String token, FaultHooks faults) {
    this.store = store;
    this.json = json;
    this.token = token;
    this.faults = faults;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath().substring(BASE_PATH.length());
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (token != null && !("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        send(exchange, 401, error("UNAUTHENTICATED", "A valid bearer token is required"));
        return;
      }
      boolean isCommit = path.equals("/delta/preview/commits") && method.equals("POST");
      DeltaCommit commit = isCommit ? json.readValue(body, DeltaCommit.class) : null;
      Optional<Integer> injected = faults.beforeRequest(isCommit);
      if (injected.isPresent()) {
        if (isCommit) {
          faults.recordCommit(commit, injected.get());
        }
        send(exchange, injected.get(), error("INJECTED_FAULT", "injected fault: HTTP " + injected.get()));
        return;
      }
      if (isCommit) {
        commit(exchange, commit);
        return;
      }
      Object response;
      try {
        response = route(method, path, body);
      } catch (ApiError e) {
        send(exchange, e.status(), error(e.errorCode(), e.getMessage()));
        return;
      }
      send(exchange, 200, response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Request {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
      throw e;
    }
  }

  private void commit(HttpExchange exchange, DeltaCommit commit)
      throws IOException, InterruptedException {
    try {
      store.commit(commit);
    } catch (ApiError e) {
      faults.recordCommit(commit, e.status());
      send(exchange, e.status(), error(e.errorCode(), e.getMessage()));
      return;
    }
    if (faults.loseAnswerAfterAccept()) {
      faults.recordCommit(commit, 0);
      // Closing the connection unanswered: the JDK server drops it when a handler throws.
      throw new IOException("injected fault: commit ratified, answer dropped");
    }
    faults.recordCommit(commit, 200);
    send(exchange, 200, Map.of());
  }

  private Object route(String method, String path, byte[] body) throws IOException {
    String[] parts = path.split("/");
    String resource = parts.length > 1 ? parts[1] : "";
    String name = parts.length > 2 ? java.net.URLDecoder.decode(parts[2], StandardCharsets.UTF_8) : null;
    switch (method + " " + resource) {
      case "GET metastore_summary":
        return new GetMetastoreSummaryResponse().metastoreId(store.metastoreId());
      case "POST catalogs":
        return store.createCatalog(json.readValue(body, CreateCatalog.class));
      case "POST schemas":
        return store.createSchema(json.readValue(body, CreateSchema.class));
      case "POST staging-tables":
        return store.createStagingTable(json.readValue(body, CreateStagingTable.class));
      case "POST tables":
        return store.createTable(json.readValue(body, CreateTable.class));
      case "GET delta":
        if (path.equals("/delta/preview/commits")) {
          return store.getCommits(json.readValue(body, DeltaGetCommits.class));
        }
        break;
      default:
        break;
    }
    if (method.equals("GET") && name != null && parts.length == 3) {
      switch (resource) {
        case "catalogs":
          return store.getCatalog(name);
        case "schemas":
          return store.getSchema(name);
        case "tables":
          return store.getTable(name);
        default:
          break;
      }
    }
    throw new ApiError(404, "NOT_FOUND", "No such endpoint: " + method + " " + BASE_PATH + path);
  }

  private static Map<String, Object> error(String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error_code", code);
    body.put("message", message);
    return body;
  }

  private void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
