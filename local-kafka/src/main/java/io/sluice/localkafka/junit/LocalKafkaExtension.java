package io.sluice.localkafka.junit;

import io.sluice.localkafka.LocalKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests a real Kafka broker: {@code @ExtendWith(LocalKafkaExtension.class)}
 * and a {@link LocalKafkaBroker} parameter (test methods, lifecycle methods, constructors).
 *
 * <p>One broker serves the whole test JVM: it is started on first use, kept in the root {@link
 * ExtensionContext} store and stopped (its temporary data directory deleted) when the root
 * context closes, after the last test. Tests share it, so each should use its own topic names.
 */
public final class LocalKafkaExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalKafkaExtension.class);
  private static final String KEY = "broker";

  @Override
  public boolean supportsParameter(ParameterContext parameterContext,
      ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == LocalKafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext,
      ExtensionContext extensionContext) {
    return broker(extensionContext);
  }

  /** The test JVM's broker, started on first call. */
  public static LocalKafkaBroker broker(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(KEY, key -> BrokerResource.start(), BrokerResource.class).broker;
  }

  /** The broker and its temporary directory, closed with the root context. */
  static final class BrokerResource implements ExtensionContext.Store.CloseableResource {
    final Path dataDir;
    final LocalKafkaBroker broker;

    private BrokerResource(Path dataDir, LocalKafkaBroker broker) {
      this.dataDir = dataDir;
      this.broker = broker;
    }

    static BrokerResource start() {
      Path dir;
      try {
        dir = Files.createTempDirectory("sluice-test-kafka-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new BrokerResource(dir, LocalKafkaBroker.start(dir));
    }

    @Override
    public void close() {
      try {
        broker.close();
      } finally {
        deleteRecursively(dataDir);
      }
    }

    private static void deleteRecursively(Path dir) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort: it is a temporary directory
      }
    }
  }
}
