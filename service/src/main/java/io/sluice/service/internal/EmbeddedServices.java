package io.sluice.service.internal;

import io.sluice.catalog.UnityCatalogConfig;
import io.sluice.catalogserver.CatalogServer;
import io.sluice.delta.TableCommitClientFactory;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.service.config.PipelineConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The embedded Kafka broker ({@code bootstrap: embedded}) and Unity Catalog-compatible server
 * ({@code catalog.uri: embedded}) of one process, each started when a pipeline first needs it and
 * shared by every pipeline of the process; closed with it.
 */
public final class EmbeddedServices implements AutoCloseable {
  /** Where {@code bootstrap: embedded} keeps its broker, so a demo resumes where it stopped. */
  static final Path EMBEDDED_KAFKA_DIR = Path.of("data", "embedded-kafka");
  private static final int EMBEDDED_PARTITIONS = 4;

  private final PrintStream out;
  private LocalKafkaBroker broker;
  private CatalogServer catalog;
  private Path catalogDirectory;

  public EmbeddedServices(PrintStream out) {
    this.out = out;
  }

  /**
   * The bootstrap servers of {@code config}'s source: the configured ones, or the embedded
   * broker's, started if need be, with the topic created if absent.
   */
  public synchronized String bootstrap(PipelineConfig config) throws IOException {
    if (!config.source().embedded()) {
      return config.source().bootstrap();
    }
    if (broker == null) {
      out.println("sluice: starting the embedded Kafka broker in " + EMBEDDED_KAFKA_DIR);
      broker = LocalKafkaBroker.start(EMBEDDED_KAFKA_DIR.toAbsolutePath());
    }
    broker.createTopicIfAbsent(config.source().topic(), EMBEDDED_PARTITIONS);
    return broker.bootstrapServers();
  }

  /**
   * The clients of {@code config}'s table through its catalog: the configured one, or the
   * embedded catalog server, started if need be (one per process, on one directory).
   */
  public synchronized TableCommitClientFactory tables(PipelineConfig config) throws IOException {
    if (!(config.sink().catalog() instanceof PipelineConfig.Catalog.EmbeddedUnity embedded)) {
      return PipelineJob.tableClients(config.sink().catalog());
    }
    Path directory = embedded.directory().toAbsolutePath().normalize();
    if (catalog == null) {
      CatalogServer.Builder builder =
          CatalogServer.builder(directory).createMissingNamespaces(true);
      if (!embedded.token().isEmpty()) {
        builder.token(embedded.token());
      }
      catalog = builder.start();
      catalogDirectory = directory;
      out.println("sluice: embedded Unity Catalog server at " + catalog.uri()
          + ", state and tables in " + embedded.directory() + " (while it runs: sluice table "
          + config.sink().table() + " --catalog " + catalog.uri() + ")");
    } else if (!catalogDirectory.equals(directory)) {
      throw new IOException("the embedded catalog of this process keeps its state in "
          + catalogDirectory + "; pipeline '" + config.id() + "' names " + directory
          + " (one embedded catalog per process)");
    }
    return TableCommitClientFactory.unityCatalog(
        new UnityCatalogConfig(catalog.uri(), embedded.token()));
  }

  /** Whether this process runs the embedded broker. */
  public synchronized boolean runsBroker() {
    return broker != null;
  }

  @Override
  public synchronized void close() {
    if (broker != null) {
      broker.close();
      broker = null;
    }
    if (catalog != null) {
      catalog.close();
      catalog = null;
    }
  }
}
