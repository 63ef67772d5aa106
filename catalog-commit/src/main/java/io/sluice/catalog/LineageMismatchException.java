package io.sluice.catalog;

/**
 * The table's latest commits of an appId were made by another lineage (another history of the
 * same writer, e.g. the same pipeline run from another checkpoint directory) than the one
 * committing. The txn versions of two lineages name different data, so committing would skip or
 * duplicate rows: nothing was published, and retrying does not help.
 */
public final class LineageMismatchException extends TableCommitException {
  private final String appId;
  private final String tableLineage;
  private final String committingLineage;

  public LineageMismatchException(
      String table, String appId, String tableLineage, String committingLineage) {
    super(
        table
            + " holds commits of "
            + appId
            + " from lineage "
            + tableLineage
            + ", but this writer continues lineage "
            + committingLineage
            + ": refusing to commit over another history of the same appId");
    this.appId = appId;
    this.tableLineage = tableLineage;
    this.committingLineage = committingLineage;
  }

  public String appId() {
    return appId;
  }

  /** The lineage the table's latest commit of the appId recorded. */
  public String tableLineage() {
    return tableLineage;
  }

  /** The lineage of the writer that was refused. */
  public String committingLineage() {
    return committingLineage;
  }
}
