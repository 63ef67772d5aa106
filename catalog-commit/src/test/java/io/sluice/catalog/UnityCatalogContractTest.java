package io.sluice.catalog;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Unity Catalog contract against the embedded {@code catalog-server} (default), or against a
 * real Unity Catalog given with {@code -Dsluice.uc.uri=...} (see {@link UnityCatalogTarget}).
 */
class UnityCatalogContractTest extends UnityCatalogContract {
  @TempDir Path dir;
  private UnityCatalogTarget target;

  @BeforeEach
  void start() throws Exception {
    target = UnityCatalogTarget.embeddedOrConfigured(dir);
  }

  @AfterEach
  void stop() {
    target.close();
  }

  @Override
  UnityCatalogTarget target() {
    return target;
  }
}
