package io.sluice.service.internal.serve;

import io.sluice.service.config.ConfigException;
import io.sluice.service.config.PipelineConfig;
import io.sluice.service.config.PipelineConfigLoader;
import io.sluice.service.internal.EmbeddedServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipelines of {@code sluice serve}: one {@link ManagedPipeline} per {@code *.yaml} file of a
 * directory, kept in step with it by a scan every {@link ServeOptions#scanInterval()}: a new file
 * starts its pipeline, a changed one stops it with a final checkpoint and starts it again from
 * there with the new file, a removed one stops it with a final checkpoint.
 */
public final class PipelineService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineService.class);

  private final Path directory;
  private final ServeOptions options;
  private final EmbeddedServices services;
  private final ServiceMetrics metrics;
  private final ScheduledExecutorService scanner;
  /** By file, in scan order; guarded by this. */
  private final Map<Path, Entry> byFile = new LinkedHashMap<>();
  private boolean closed;

  private record Entry(String hash, ManagedPipeline pipeline) {}

  public PipelineService(
      Path directory, ServeOptions options, EmbeddedServices services, ServiceMetrics metrics) {
    this.directory = directory;
    this.options = options;
    this.services = services;
    this.metrics = metrics;
    this.scanner = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sluice-serve-scan");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts every pipeline of the directory, then keeps watching it. */
  public void start() throws IOException {
    scan();
    long every = options.scanInterval().toMillis();
    scanner.scheduleWithFixedDelay(() -> {
      try {
        scan();
      } catch (IOException | RuntimeException e) {
        LOG.warn("scanning {} failed (the next scan retries): {}", directory, e.toString());
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }

  /** The pipelines, in file order. */
  public synchronized List<ManagedPipeline> pipelines() {
    return byFile.values().stream().map(Entry::pipeline).toList();
  }

  public synchronized Optional<ManagedPipeline> pipeline(String name) {
    return byFile.values().stream().map(Entry::pipeline).filter(p -> p.name().equals(name))
        .findFirst();
  }

  /** Brings the pipelines in step with the directory's files. */
  synchronized void scan() throws IOException {
    if (closed) {
      return;
    }
    Map<Path, String> files = new LinkedHashMap<>();
    try (Stream<Path> listing = Files.list(directory)) {
      for (Path file : listing.filter(PipelineService::isPipelineFile).sorted().toList()) {
        files.put(file, hash(file));
      }
    }
    for (Path gone : new ArrayList<>(byFile.keySet())) {
      if (!files.containsKey(gone)) {
        LOG.info("{} was removed: stopping pipeline {}", gone, byFile.get(gone).pipeline().name());
        stop(byFile.remove(gone).pipeline());
      }
    }
    for (Map.Entry<Path, String> file : files.entrySet()) {
      Entry known = byFile.get(file.getKey());
      if (known != null && known.hash().equals(file.getValue())) {
        continue;
      }
      if (known != null) {
        LOG.info("{} changed: stopping pipeline {} with a final checkpoint to start it again",
            file.getKey(), known.pipeline().name());
        byFile.remove(file.getKey());
        stop(known.pipeline());
      }
      ManagedPipeline pipeline = load(file.getKey());
      byFile.put(file.getKey(), new Entry(file.getValue(), pipeline));
      metrics.add(pipeline);
      if (pipeline.config().isPresent()) {
        pipeline.start();
      } else {
        LOG.error("pipeline file {} is not valid: {}", file.getKey(),
            pipeline.lastError().orElseThrow().message());
      }
    }
  }

  private ManagedPipeline load(Path file) {
    PipelineConfig config;
    try {
      config = PipelineConfigLoader.withSystemEnvironment().load(file);
    } catch (ConfigException e) {
      return failed(file, fileStem(file), e.getMessage());
    }
    for (Entry other : byFile.values()) {
      if (other.pipeline().name().equals(config.id())) {
        return failed(file, fileStem(file), file + ": pipeline id '" + config.id()
            + "' is taken by " + other.pipeline().file() + "; give each pipeline its own id");
      }
    }
    return new ManagedPipeline(file, config.id(), config, null, services, options,
        metrics.commitLatencyOf(config.id()));
  }

  private ManagedPipeline failed(Path file, String name, String message) {
    return new ManagedPipeline(file, name, null,
        new ManagedPipeline.Failure(Instant.now(), message), services, options,
        metrics.commitLatencyOf(name));
  }

  private void stop(ManagedPipeline pipeline) {
    requestStopIfRunning(pipeline);
    try {
      pipeline.awaitStopped(options.stopTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    metrics.remove(pipeline);
  }

  private static void requestStopIfRunning(ManagedPipeline pipeline) {
    try {
      pipeline.requestStop();
    } catch (IllegalStateException notRunning) {
      // stopped, failed, finished or never started: nothing to stop
    }
  }

  /**
   * Stops every pipeline with a final checkpoint, each within the stop timeout (they stop in
   * parallel), and stops watching the directory.
   */
  @Override
  public void close() {
    List<ManagedPipeline> running;
    synchronized (this) {
      closed = true;
      running = pipelines();
    }
    scanner.shutdownNow();
    running.forEach(PipelineService::requestStopIfRunning);
    for (ManagedPipeline p : running) {
      try {
        p.awaitStopped(options.stopTimeout());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static boolean isPipelineFile(Path file) {
    String name = file.getFileName().toString();
    return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.startsWith(".")
        && Files.isRegularFile(file);
  }

  private static String fileStem(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.lastIndexOf('.'));
  }

  private static String hash(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The pipelines not serving as they should (for readiness), by name, with their state. */
  public Map<String, String> notReady() {
    Map<String, String> out = new HashMap<>();
    for (ManagedPipeline p : pipelines()) {
      ManagedPipeline.State s = p.state();
      if (s != ManagedPipeline.State.RUNNING && s != ManagedPipeline.State.PAUSED
          && s != ManagedPipeline.State.FINISHED && s != ManagedPipeline.State.STOPPED) {
        out.put(p.name(), s.name());
      }
    }
    return out;
  }
}
