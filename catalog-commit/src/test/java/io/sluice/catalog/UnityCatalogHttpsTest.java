package io.sluice.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalogserver.CatalogServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client over HTTPS with a bearer token; plain HTTP only to a loopback catalog. */
class UnityCatalogHttpsTest {
  @TempDir Path dir;

  @Test
  void commitsOverHttpsWithABearerToken() throws Exception {
    Path keyStore = dir.resolve("catalog.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-alias", "catalog", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1")
            .inheritIO()
            .start();
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool failed");

    SSLContext previous = SSLContext.getDefault();
    // The UC SDK's HTTP client uses the JVM's default SSL context: trust the test certificate.
    SSLContext.setDefault(trusting(keyStore));
    try (CatalogServer server =
        CatalogServer.builder(dir.resolve("catalog"))
            .https(CatalogServer.sslContext(keyStore, "changeit".toCharArray()))
            .token("s3cret")
            .createMissingNamespaces(true)
            .start()) {
      assertEquals("https", server.uri().getScheme());
      UnityCatalogConfig catalog = new UnityCatalogConfig(server.uri(), "s3cret");
      try (TableCommitClient c =
          TableCommitClients.unityCatalog(catalog, "main.tls.events", CommitClientConfig.defaults())) {
        c.openOrCreate(TableDefinition.of(TestActions.SCHEMA, List.of()));
        CommitOutcome o =
            c.commitWithRetries(
                "app", "lineage-1", 1, TestActions.appendFile("1.parquet"), RetryPolicy.exponential(3, Duration.ofMillis(10)));
        assertEquals(1, assertInstanceOf(CommitOutcome.Committed.class, o).tableVersion());
        assertEquals(Optional.of(1L), c.latestTransactionVersion("app"));
      }
    } finally {
      SSLContext.setDefault(previous);
    }
  }

  @Test
  void plainHttpIsRefusedExceptOnLoopback() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new UnityCatalogConfig(URI.create("http://uc.example.com:8080"), "t"));
    assertTrue(e.getMessage().contains("https"), e.getMessage());
    new UnityCatalogConfig(URI.create("http://127.0.0.1:8080"), "t");
    assertFalse(
        new UnityCatalogConfig(URI.create("https://uc.example.com"), "secret").toString().contains("secret"),
        "the token never shows in logs");
  }

  private static SSLContext trusting(Path keyStore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(keyStore.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
