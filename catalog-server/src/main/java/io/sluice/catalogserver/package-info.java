/**
 * A Unity Catalog 0.6.0-compatible server for Sluice's tests and local runs: {@link
 * io.sluice.catalogserver.CatalogServer} (embedded or as a process) and its {@link
 * io.sluice.catalogserver.Faults}. The catalog's rules and state live in {@code
 * internal.CatalogStore}, the REST endpoints in {@code internal.ApiHandler}.
 */
package io.sluice.catalogserver;
