package io.sluice.catalog;

/**
 * The table exists but its schema or partition columns differ from the declared {@link
 * TableDefinition}. The message names the table and the first differing field.
 */
public final class TableDefinitionMismatchException extends IllegalStateException {
  private final String tablePath;
  private final String field;

  public TableDefinitionMismatchException(String tablePath, String field, String detail) {
    super(
        "Delta table at "
            + tablePath
            + " does not match the declared table definition: "
            + detail);
    this.tablePath = tablePath;
    this.field = field;
  }

  public String tablePath() {
    return tablePath;
  }

  /** The differing field, or {@code null} when the partition column list differs as a whole. */
  public String field() {
    return field;
  }
}
