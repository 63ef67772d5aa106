package io.sluice.catalog.internal;

import java.util.Objects;

/**
 * A table as its catalog knows it.
 *
 * @param name the name the caller used (a path, or {@code catalog.schema.table})
 * @param storageLocation the table root as the catalog gives it; passed verbatim to Kernel and
 *     the catalog, which compare it with the registered location
 * @param catalogTableId the catalog's id of the table; empty for filesystem tables
 */
public record CatalogTable(String name, String storageLocation, String catalogTableId) {
  public CatalogTable {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(storageLocation, "storageLocation");
    Objects.requireNonNull(catalogTableId, "catalogTableId");
  }
}
