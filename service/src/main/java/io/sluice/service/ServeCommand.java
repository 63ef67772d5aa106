package io.sluice.service;

import io.sluice.service.internal.RunOptions;
import io.sluice.service.internal.SignalStop;
import io.sluice.service.internal.serve.Serve;
import io.sluice.service.internal.serve.ServeOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code sluice serve DIR}: every pipeline file of a directory in one process, with an admin API. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run every pipeline file (*.yaml) of DIR in this process, each supervised on "
        + "its own (a failing one restarts with backoff, then stays failed), following the "
        + "directory's changes, with an admin HTTP API, metrics and a dashboard. SIGTERM stops "
        + "every pipeline with a final checkpoint and commit.")
final class ServeCommand implements Callable<Integer> {
  static final String TOKEN_ENV = "SLUICE_ADMIN_TOKEN";

  @ParentCommand private Main main;

  @Parameters(paramLabel = "DIR", description = "the directory of pipeline files")
  Path directory;

  @Option(
      names = "--admin",
      paramLabel = "HOST:PORT",
      description = "where the admin API, /metrics and the dashboard listen (default "
          + "127.0.0.1:8088; port 0 picks a free one)")
  String admin = "127.0.0.1:8088";

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      description = "the bearer token of the admin API (else the environment variable "
          + TOKEN_ENV + "); without one the API is open, which only a loopback address allows")
  Path tokenFile;

  @Option(
      names = "--stop-timeout",
      paramLabel = "DURATION",
      description = "how long a stop (SIGTERM, a changed or removed file, the API) waits for a "
          + "pipeline's final checkpoint and commit before cancelling it (default 60s)",
      converter = Main.StopTimeoutConverter.class)
  Duration stopTimeout = RunOptions.STOP_TIMEOUT.defaultValue();

  @Option(
      names = "--max-failures",
      paramLabel = "N",
      description = "failures in a row after which a pipeline stays failed (default 5); the "
          + "waits between restarts double from 1s up to 5m")
  int maxFailures = 5;

  @Override
  public Integer call() {
    if (!Files.isDirectory(directory)) {
      main.err.println("sluice: serve: " + directory + " is not a directory");
      return 2;
    }
    if (maxFailures < 1) {
      main.err.println("sluice: serve: --max-failures must be at least 1, got " + maxFailures);
      return 2;
    }
    InetSocketAddress address;
    String token;
    try {
      address = address(admin);
      token = token();
    } catch (IllegalArgumentException | IOException e) {
      main.err.println("sluice: serve: " + e.getMessage());
      return 2;
    }
    if (token == null && !address.getAddress().isLoopbackAddress()) {
      main.err.println("sluice: serve: the admin API on " + admin + " needs a token: set "
          + TOKEN_ENV + " or --admin-token-file (without one it may only listen on a loopback "
          + "address)");
      return 2;
    }
    ServeOptions options = new ServeOptions(stopTimeout, maxFailures, Duration.ofSeconds(1),
        Duration.ofMinutes(5), Duration.ofSeconds(2));
    Serve serve;
    try {
      serve = new Serve(directory, address, token, options, main.out);
    } catch (IOException e) {
      main.err.println("sluice: serve: cannot listen on " + admin + ": " + e.getMessage());
      return 1;
    }
    return SignalStop.run(serve::close, () -> serveUntilClosed(serve, token), main.out, main.err);
  }

  /** Serves until a signal closes {@code serve}; returns the exit code. */
  private int serveUntilClosed(Serve serve, String token) {
    try {
      serve.start();
      InetSocketAddress bound = serve.adminAddress();
      String base = "http://" + bound.getHostString() + ":" + bound.getPort();
      main.out.println("sluice: serving " + serve.pipelines().pipelines().size()
          + " pipelines from " + directory + "; dashboard " + base + "/, API " + base
          + "/api/v1/pipelines" + (token == null ? " (no token: loopback only)" : "")
          + ", metrics " + base + "/metrics");
      serve.awaitClosed();
      main.out.println("sluice: serve stopped");
      return 0;
    } catch (IOException e) {
      main.err.println("sluice: serve: " + e.getMessage());
      serve.close();
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private String token() throws IOException {
    if (tokenFile != null) {
      String token = Files.readString(tokenFile).strip();
      if (token.isEmpty()) {
        throw new IllegalArgumentException("--admin-token-file " + tokenFile + " is empty");
      }
      return token;
    }
    String token = System.getenv(TOKEN_ENV);
    return token == null || token.isBlank() ? null : token.strip();
  }

  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--admin: expected HOST:PORT, got '" + hostPort + "'");
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--admin: expected a port number after ':', got '"
          + hostPort + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--admin: port must be from 0 to 65535, got " + port);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(hostPort.substring(0, colon)), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--admin: unknown host in '" + hostPort + "'");
    }
  }
}
