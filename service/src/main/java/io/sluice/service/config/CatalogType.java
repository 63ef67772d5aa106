package io.sluice.service.config;

/** Who manages a sink's table, and thus decides its commits. */
public enum CatalogType {
  /** The table is a path; a commit is a file put if absent in its {@code _delta_log}. */
  FILESYSTEM,
  /** A Unity Catalog table named {@code catalog.schema.table}; the catalog ratifies commits. */
  UNITY
}
