package io.sluice.catalogserver;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.sluice.catalogserver.internal.ApiHandler;
import io.sluice.catalogserver.internal.CatalogStore;
import io.unitycatalog.client.model.DeltaCommit;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A server speaking the part of Unity Catalog 0.6.0's REST API that Sluice's catalog-commit client
 * uses: catalog-managed Delta commits ({@code /delta/preview/commits}), staging tables, managed
 * table registration, tables by name, catalogs, schemas and the metastore summary, with the
 * semantics of UC's own commit repository (see {@code internal.CatalogStore}).
 *
 * <p>Its state survives restarts: it lives in {@code <dataDir>/catalog-state.json}, and the
 * storage of managed tables under {@code <dataDir>/tables/<table id>/}. One server at a time
 * uses a data directory (a second is refused). Start it embedded with
 * {@link #builder(Path)}, or as a process with {@link #main}. Tests inject faults through {@link
 * #faults()}, or from another process with {@code POST /sluice-admin/faults} (see {@link
 * #main}).
 *
 * <p>HTTP is served by the JDK's own {@code com.sun.net.httpserver} (HTTP and HTTPS), so the
 * server adds no dependency to the application that embeds it.
 */
public final class CatalogServer implements AutoCloseable {
  /** A commit request the server received, and its answer (0 when the answer was lost). */
  public record RecordedCommit(Long version, String fileName, Long latestBackfilledVersion, int status) {}

  private final FileChannel dataDirLock;
  private final HttpServer http;
  private final ExecutorService executor;
  private final Faults faults = new Faults();
  private final List<RecordedCommit> commits = new ArrayList<>();
  private final URI uri;

  private CatalogServer(Builder builder) throws IOException {
    ObjectMapper json =
        new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    dataDirLock = lockDataDir(builder.dataDir);
    CatalogStore store;
    InetSocketAddress address = new InetSocketAddress(builder.host, builder.port);
    try {
      store = new CatalogStore(builder.dataDir, builder.createMissingNamespaces, json);
      if (builder.sslContext != null) {
        HttpsServer https = HttpsServer.create(address, 0);
        https.setHttpsConfigurator(new HttpsConfigurator(builder.sslContext));
        http = https;
      } else {
        http = HttpServer.create(address, 0);
      }
    } catch (IOException | RuntimeException e) {
      dataDirLock.close();
      throw e;
    }
    http.createContext(
        ApiHandler.BASE_PATH,
        new ApiHandler(store, json, builder.token, new ApiHandler.FaultHooks() {
          @Override
          public Optional<Integer> beforeRequest(boolean isCommit) throws InterruptedException {
            return faults.beforeRequest(isCommit);
          }

          @Override
          public boolean loseAnswerAfterAccept() throws InterruptedException {
            return faults.loseAnswerAfterAccept();
          }

          @Override
          public void recordCommit(DeltaCommit commit, int status) {
            synchronized (commits) {
              commits.add(
                  new RecordedCommit(
                      commit.getCommitInfo() == null ? null : commit.getCommitInfo().getVersion(),
                      commit.getCommitInfo() == null ? null : commit.getCommitInfo().getFileName(),
                      commit.getLatestBackfilledVersion(),
                      status));
            }
          }
        }));
    http.createContext("/sluice-admin", exchange -> admin(exchange, json, builder.token));
    // Held answers block their threads: enough threads that holds never starve other requests.
    executor = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "catalog-server");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(executor);
    http.start();
    String scheme = builder.sslContext != null ? "https" : "http";
    uri = URI.create(scheme + "://" + builder.host + ":" + http.getAddress().getPort());
  }

  /**
   * One server per data directory, held until {@link #close}: two would each overwrite the
   * other's state. The operating system releases it when the process dies.
   */
  private static FileChannel lockDataDir(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path lockFile = dataDir.resolve("server.lock");
    FileChannel channel =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    boolean locked = false;
    try {
      locked = channel.tryLock() != null;
    } catch (OverlappingFileLockException heldInThisJvm) {
      // refused below
    } finally {
      if (!locked) {
        channel.close();
      }
    }
    if (!locked) {
      throw new IOException(
          "the catalog data directory " + dataDir + " is in use by another catalog server (lock "
              + lockFile + ")");
    }
    return channel;
  }

  /** Whether {@code dataDir} holds the state of a catalog (a server ran there before). */
  public static boolean holdsCatalog(Path dataDir) {
    return Files.isRegularFile(CatalogStore.stateFile(dataDir));
  }

  /** A server keeping its state and managed tables under {@code dataDir}. */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** The base URI clients are configured with, e.g. {@code http://127.0.0.1:8080}. */
  public URI uri() {
    return uri;
  }

  public Faults faults() {
    return faults;
  }

  /** Every commit request received so far, in order. */
  public List<RecordedCommit> commitRequests() {
    synchronized (commits) {
      return List.copyOf(commits);
    }
  }

  @Override
  public void close() {
    faults.clear();
    http.stop(0);
    executor.shutdownNow();
    try {
      dataDirLock.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not release the lock of the catalog data directory", e);
    }
  }

  private void admin(HttpExchange exchange, ObjectMapper json, String token) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      int status = 200;
      Object answer = Map.of("held", faults.held());
      if (token != null && !("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        status = 401;
        answer = Map.of("message", "A valid bearer token is required");
      } else if (exchange.getRequestMethod().equals("POST")
          && exchange.getRequestURI().getPath().equals("/sluice-admin/faults")) {
        try {
          applyFault(json.readTree(body));
        } catch (IllegalArgumentException e) {
          status = 400;
          answer = Map.of("message", e.getMessage());
        }
      } else if (!exchange.getRequestURI().getPath().equals("/sluice-admin/held")) {
        status = 404;
        answer = Map.of("message", "admin endpoints: POST /sluice-admin/faults, GET /sluice-admin/held");
      }
      byte[] bytes = json.writeValueAsBytes(answer);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** One admin fault: {@code {"action": "...", ...}}, see {@link #main}. */
  private void applyFault(JsonNode f) {
    String action = f.path("action").asText();
    switch (action) {
      case "fail-requests" ->
          faults.failRequests(f.path("status").asInt(503), Duration.ofMillis(f.path("millis").asLong()));
      case "reject-commits" -> faults.rejectCommits(f.path("status").asInt(429), f.path("times").asInt(1));
      case "drop-responses-after-accept" -> faults.dropResponsesAfterAccept(f.path("times").asInt(1));
      case "hold-responses-after-accept" -> faults.holdResponsesAfterAccept(f.path("times").asInt(1));
      case "release-held" -> faults.releaseHeld();
      case "delay-requests" ->
          faults.delayRequests(
              Duration.ofMillis(f.path("delay_millis").asLong()), Duration.ofMillis(f.path("millis").asLong()));
      case "clear" -> faults.clear();
      default -> throw new IllegalArgumentException("unknown fault action '" + action + "'");
    }
  }

  /** Options of an embedded server. */
  public static final class Builder {
    private final Path dataDir;
    private String host = InetAddress.getLoopbackAddress().getHostAddress();
    private int port;
    private boolean createMissingNamespaces;
    private String token;
    private SSLContext sslContext;

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    /** The port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The address to listen on; the loopback address by default. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /**
     * Whether a table in a missing catalog or schema creates them (an embedded demo catalog) or is
     * refused with 404 naming the missing one (as a real Unity Catalog does; the default).
     */
    public Builder createMissingNamespaces(boolean create) {
      this.createMissingNamespaces = create;
      return this;
    }

    /** Requires {@code Authorization: Bearer <token>} on every request (none by default). */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** Serves HTTPS with this context instead of HTTP. */
    public Builder https(SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    public CatalogServer start() throws IOException {
      return new CatalogServer(this);
    }
  }

  /**
   * Runs a server until the process is stopped. Options: {@code --data-dir DIR} (default {@code
   * data/catalog}), {@code --port N} (default 8080), {@code --host ADDRESS} (default loopback),
   * {@code --create-missing-namespaces}, {@code --token-env VAR} (require the bearer token held in
   * environment variable VAR), {@code --keystore FILE --keystore-password-env VAR} (serve HTTPS
   * with a PKCS12 key store). Prints {@code listening on <uri>} once it serves.
   *
   * <p>Faults are set with {@code POST /sluice-admin/faults} and a JSON body: {@code
   * {"action":"fail-requests","status":503,"millis":30000}}, {@code
   * {"action":"reject-commits","status":429,"times":3}}, {@code
   * {"action":"drop-responses-after-accept","times":1}}, {@code
   * {"action":"hold-responses-after-accept","times":1}}, {@code {"action":"release-held"}}, {@code
   * {"action":"delay-requests","delay_millis":200,"millis":5000}} or {@code {"action":"clear"}};
   * {@code GET /sluice-admin/held} tells how many answers are held.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = new java.util.HashMap<>();
    boolean createMissing = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--create-missing-namespaces")) {
        createMissing = true;
      } else if (args[i].startsWith("--") && i + 1 < args.length) {
        options.put(args[i], args[++i]);
      } else {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Builder builder =
        builder(Path.of(options.getOrDefault("--data-dir", "data/catalog")))
            .port(Integer.parseInt(options.getOrDefault("--port", "8080")))
            .createMissingNamespaces(createMissing);
    if (options.containsKey("--host")) {
      builder.host(options.get("--host"));
    }
    if (options.containsKey("--token-env")) {
      builder.token(requiredEnv(options.get("--token-env")));
    }
    if (options.containsKey("--keystore")) {
      char[] password = requiredEnv(options.get("--keystore-password-env")).toCharArray();
      builder.https(sslContext(Path.of(options.get("--keystore")), password));
    }
    CatalogServer server = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("listening on " + server.uri());
    System.out.flush();
    new CountDownLatch(1).await();
  }

  private static String requiredEnv(String name) {
    if (name == null) {
      throw new IllegalArgumentException("--keystore needs --keystore-password-env VAR");
    }
    String value = System.getenv(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("environment variable " + name + " is not set");
    }
    return value;
  }

  /** An SSL context serving the key in a PKCS12 key store. */
  public static SSLContext sslContext(Path keyStore, char[] password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(keyStore.toFile())) {
      store.load(in, password);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
