package io.sluice.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.service.config.PipelineConfig;
import io.sluice.service.config.PipelineConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second process on the same embedded data directories (a backfill beside {@code sluice run})
 * uses the first one's broker and catalog server instead of starting its own.
 */
class EmbeddedServicesTest {

  @Test
  void aSecondProcessUsesTheRunningBrokerAndCatalogAndStartsNone(@TempDir Path dir)
      throws Exception {
    Path brokerDir = dir.resolve("embedded-kafka");
    PipelineConfig config = PipelineConfigLoader.withSystemEnvironment().parse("p.yaml", """
        pipeline: p
        source: {bootstrap: embedded, topic: shared}
        schema: {id: string}
        sink:
          catalog: {type: unity, uri: embedded, dir: %s}
          table: main.demo.shared
        checkpoint: {dir: %s}
        """.formatted(dir.resolve("catalog"), dir.resolve("checkpoints")));
    ByteArrayOutputStream firstOut = new ByteArrayOutputStream();
    ByteArrayOutputStream secondOut = new ByteArrayOutputStream();
    try (EmbeddedServices first = new EmbeddedServices(print(firstOut), brokerDir);
        EmbeddedServices second = new EmbeddedServices(print(secondOut), brokerDir)) {
      String bootstrap = first.bootstrap(config);
      first.tables(config);
      assertTrue(first.runsBroker());

      assertEquals(bootstrap, second.bootstrap(config));
      second.tables(config);
      assertFalse(second.runsBroker());
      String told = secondOut.toString(StandardCharsets.UTF_8);
      assertTrue(told.contains("using the embedded Kafka broker of another sluice process at "
          + bootstrap), told);
      assertTrue(told.contains("using the embedded Unity Catalog server of another sluice "
          + "process at http://"), told);
      assertFalse(told.contains("starting") || told.contains("embedded Unity Catalog server at"),
          told);

      first.close();
      assertEquals(Optional.empty(),
          new ServiceAddressFile(brokerDir, "bootstrap-servers").runningAddress());
      assertEquals(Optional.empty(),
          new ServiceAddressFile(dir.resolve("catalog"), "server-uri").runningAddress());
    }
  }

  @Test
  void anAddressNobodyListensOnIsNotARunningService(@TempDir Path dir) throws Exception {
    ServiceAddressFile file = new ServiceAddressFile(dir, "bootstrap-servers");
    assertEquals(Optional.empty(), file.runningAddress(), "no file");
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String address = "127.0.0.1:" + listening.getLocalPort();
      file.write(address);
      assertEquals(Optional.of(address), file.runningAddress());
      file.write("http://" + address);
      assertEquals(Optional.of("http://" + address), file.runningAddress());
    }
    assertEquals(Optional.empty(), file.runningAddress(), "left by a process that died");
    file.delete();
    assertFalse(Files.exists(dir.resolve("bootstrap-servers")));
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
