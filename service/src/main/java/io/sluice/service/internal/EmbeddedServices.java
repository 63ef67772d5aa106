package io.sluice.service.internal;

import io.sluice.catalog.UnityCatalogConfig;
import io.sluice.catalogserver.CatalogServer;
import io.sluice.delta.TableCommitClientFactory;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.service.config.PipelineConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The embedded Kafka broker ({@code bootstrap: embedded}) and Unity Catalog-compatible server
 * ({@code catalog.uri: embedded}) of one process, each started when a pipeline first needs it and
 * shared by every pipeline of the process; closed with it.
 *
 * <p>Another sluice process on the same data directory uses them too instead of starting its own
 * (two cannot run on one directory): a backfill beside {@code sluice run} of the same pipeline
 * file reads the same broker and commits through the same catalog. The process that runs a
 * service names its address in a file of the service's data directory ({@link
 * ServiceAddressFile}) while it runs.
 */
public final class EmbeddedServices implements AutoCloseable {
  /** Where {@code bootstrap: embedded} keeps its broker, so a demo resumes where it stopped. */
  static final Path EMBEDDED_KAFKA_DIR = Path.of("data", "embedded-kafka");
  private static final int EMBEDDED_PARTITIONS = 4;

  private final PrintStream out;
  private final ServiceAddressFile brokerAddress;
  private LocalKafkaBroker broker;
  private String bootstrap;
  private ServiceAddressFile catalogAddress;
  private CatalogServer catalog;
  private URI catalogUri;
  private Path catalogDirectory;

  public EmbeddedServices(PrintStream out) {
    this(out, EMBEDDED_KAFKA_DIR);
  }

  /** With the embedded broker's data in {@code brokerDirectory}. */
  EmbeddedServices(PrintStream out, Path brokerDirectory) {
    this.out = out;
    this.brokerAddress = new ServiceAddressFile(brokerDirectory, "bootstrap-servers");
  }

  /**
   * The bootstrap servers of {@code config}'s source: the configured ones, or the embedded
   * broker's, started if need be, with the topic created if absent.
   */
  public synchronized String bootstrap(PipelineConfig config) throws IOException {
    if (!config.source().embedded()) {
      return config.source().bootstrap();
    }
    if (bootstrap == null) {
      Optional<String> running = brokerAddress.runningAddress();
      if (running.isPresent()) {
        bootstrap = running.get();
        out.println("sluice: using the embedded Kafka broker of another sluice process at "
            + bootstrap + " (data in " + brokerAddress.directory() + ")");
      } else {
        out.println("sluice: starting the embedded Kafka broker in " + brokerAddress.directory());
        broker = LocalKafkaBroker.start(brokerAddress.directory().toAbsolutePath());
        bootstrap = broker.bootstrapServers();
        brokerAddress.write(bootstrap);
      }
    }
    if (broker != null) {
      broker.createTopicIfAbsent(config.source().topic(), EMBEDDED_PARTITIONS);
    }
    return bootstrap;
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
    if (catalogUri == null) {
      catalogAddress = new ServiceAddressFile(directory, "server-uri");
      catalogDirectory = directory;
      Optional<String> running = catalogAddress.runningAddress();
      if (running.isPresent()) {
        catalogUri = URI.create(running.get());
        out.println("sluice: using the embedded Unity Catalog server of another sluice process at "
            + catalogUri + " (state and tables in " + embedded.directory() + ")");
      } else {
        CatalogServer.Builder builder =
            CatalogServer.builder(directory).createMissingNamespaces(true);
        if (!embedded.token().isEmpty()) {
          builder.token(embedded.token());
        }
        catalog = builder.start();
        catalogUri = catalog.uri();
        catalogAddress.write(catalogUri.toString());
        out.println("sluice: embedded Unity Catalog server at " + catalogUri
            + ", state and tables in " + embedded.directory() + " (while it runs: sluice table "
            + config.sink().table() + " --catalog " + catalogUri + ")");
      }
    } else if (!catalogDirectory.equals(directory)) {
      throw new IOException("the embedded catalog of this process keeps its state in "
          + catalogDirectory + "; pipeline '" + config.id() + "' names " + directory
          + " (one embedded catalog per process)");
    }
    return TableCommitClientFactory.unityCatalog(
        new UnityCatalogConfig(catalogUri, embedded.token()));
  }

  /** Whether this process runs the embedded broker. */
  public synchronized boolean runsBroker() {
    return broker != null;
  }

  @Override
  public synchronized void close() {
    if (broker != null) {
      brokerAddress.delete();
      broker.close();
      broker = null;
    }
    bootstrap = null;
    if (catalog != null) {
      catalogAddress.delete();
      catalog.close();
      catalog = null;
    }
    catalogUri = null;
  }
}
