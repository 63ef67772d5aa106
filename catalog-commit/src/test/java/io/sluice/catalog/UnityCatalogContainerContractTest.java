package io.sluice.catalog;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The Unity Catalog contract against the Unity Catalog 0.6.0 server image ({@code
 * -Dsluice.uc.image} overrides it), started with Testcontainers where a Docker engine exists and
 * skipped elsewhere. Managed tables live in a host directory mounted at the same path in the
 * container, so that the locations the server hands out are writable by this JVM.
 */
@EnabledIf(
    value = "dockerAvailable",
    disabledReason =
        "no Docker engine: the Unity Catalog 0.6.0 image cannot run here (the same contract runs"
            + " against the embedded server in UnityCatalogContractTest)")
class UnityCatalogContainerContractTest extends UnityCatalogContract {
  private static final String IMAGE = System.getProperty("sluice.uc.image", "unitycatalog/unitycatalog:v0.6.0");

  @TempDir static Path storage;
  private static GenericContainer<?> server;
  private static UnityCatalogTarget target;

  @BeforeAll
  static void start() throws Exception {
    Path properties = storage.resolve("server.properties");
    Files.writeString(
        properties,
        "server.env=test\nserver.authorization=disable\nserver.managed-table.enabled=true\n"
            + "storage-root.tables=file://" + storage.resolve("tables") + "\n");
    server =
        new GenericContainer<>(DockerImageName.parse(IMAGE))
            .withExposedPorts(8080)
            .withFileSystemBind(storage.toString(), storage.toString(), BindMode.READ_WRITE)
            .withCopyFileToContainer(
                MountableFile.forHostPath(properties), "/home/unitycatalog/etc/conf/server.properties")
            .waitingFor(Wait.forHttp("/api/2.1/unity-catalog/metastore_summary").forStatusCode(200));
    server.start();
    target =
        UnityCatalogTarget.at(
            URI.create("http://" + server.getHost() + ":" + server.getMappedPort(8080)),
            "not-checked",
            "sluice_test",
            "contract");
  }

  /** A Docker engine answers; asked only where one may exist, so that Testcontainers stays quiet. */
  static boolean dockerAvailable() {
    boolean mayExist =
        System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
    return mayExist && DockerClientFactory.instance().isDockerAvailable();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Override
  UnityCatalogTarget target() {
    return target;
  }
}
