package io.sluice.service.internal.serve;

import io.sluice.service.internal.EmbeddedServices;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One {@code sluice serve}: the pipelines of a directory, the admin server, the rate sampler and
 * the embedded broker and catalog when pipelines ask for them; {@link #close()} (on SIGTERM)
 * stops every pipeline with a final checkpoint, then the rest.
 */
public final class Serve implements AutoCloseable {
  private final EmbeddedServices services;
  private final ServiceMetrics metrics = new ServiceMetrics();
  private final RateSampler rates = new RateSampler();
  private final PipelineService pipelines;
  private final AdminServer admin;
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sluice-serve-rates");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch closed = new CountDownLatch(1);

  /**
   * @param token the API's bearer token, or null for none (only on a loopback address)
   */
  public Serve(Path directory, InetSocketAddress adminAddress, String token, ServeOptions options,
      PrintStream out) throws IOException {
    this.services = new EmbeddedServices(out);
    this.pipelines = new PipelineService(directory, options, services, metrics);
    this.admin = new AdminServer(adminAddress, token, pipelines, metrics, rates);
  }

  /** Starts the admin server, then every pipeline of the directory. */
  public void start() throws IOException {
    admin.start();
    pipelines.start();
    sampler.scheduleAtFixedRate(() -> rates.sample(pipelines.pipelines()), 0, 1, TimeUnit.SECONDS);
  }

  public InetSocketAddress adminAddress() {
    return admin.address();
  }

  public PipelineService pipelines() {
    return pipelines;
  }

  /** Waits until {@link #close()} finished. */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }

  /** Stops every pipeline with a final checkpoint, then the admin server and embedded services. */
  @Override
  public void close() {
    try {
      pipelines.close();
      sampler.shutdownNow();
      admin.close();
      services.close();
    } finally {
      closed.countDown();
    }
  }
}
