package io.sluice.catalog;

/**
 * Result of {@link TableCommitClient#openOrCreate}.
 *
 * @param storageLocation the table's root (a fully qualified URI); for a catalog-managed table
 *     the location its catalog assigned
 * @param version the table version that was read or created
 * @param created whether this call created the table
 */
public record OpenedTable(String storageLocation, long version, boolean created) {}
