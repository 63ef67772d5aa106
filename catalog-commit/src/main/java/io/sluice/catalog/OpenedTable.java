package io.sluice.catalog;

/**
 * Result of {@link TableCommitClient#openOrCreate}.
 *
 * @param tablePath the resolved (fully qualified) table root
 * @param version the table version that was read or created
 * @param created whether this call created the table
 */
public record OpenedTable(String tablePath, long version, boolean created) {}
