package io.sluice.delta;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a {@link DeltaSink} did with data files: the files its writers closed, how the open-file cap
 * ({@link DeltaSinkOptions#MAX_OPEN_FILES}) shaped them, and what its automatic compaction
 * rewrote. Safe to read from any thread while the sink runs.
 */
public final class DataFileMetrics {
  private final LongAdder files = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder rows = new LongAdder();
  private final LongAdder filesClosedByCap = new LongAdder();
  private final LongAdder bytesClosedByCap = new LongAdder();
  private final LongAdder rowsWaited = new LongAdder();
  private final LongAdder compactions = new LongAdder();
  private final LongAdder filesCompacted = new LongAdder();
  private final LongAdder bytesCompacted = new LongAdder();
  private final LongAdder filesFromCompaction = new LongAdder();

  /** Data files the writers closed (for any reason). */
  public long files() {
    return files.sum();
  }

  /** Bytes of those files. */
  public long bytes() {
    return bytes.sum();
  }

  /** Rows in those files. */
  public long rows() {
    return rows.sum();
  }

  /**
   * Files closed before their checkpoint or target size because the open-file cap needed room for
   * rows of another partition value.
   */
  public long filesClosedByCap() {
    return filesClosedByCap.sum();
  }

  /** Bytes of the files closed early by the cap. */
  public long bytesClosedByCap() {
    return bytesClosedByCap.sum();
  }

  /** Rows that waited in memory for a file because the cap was reached. */
  public long rowsWaited() {
    return rowsWaited.sum();
  }

  /** Records one closed file; {@code byCap} when the cap closed it early. */
  public void fileClosed(long sizeBytes, long fileRows, boolean byCap) {
    files.increment();
    bytes.add(sizeBytes);
    rows.add(fileRows);
    if (byCap) {
      filesClosedByCap.increment();
      bytesClosedByCap.add(sizeBytes);
    }
  }

  /** Records a row that waited for a file. */
  public void rowWaited() {
    rowsWaited.increment();
  }

  /** Compaction commits. */
  public long compactions() {
    return compactions.sum();
  }

  /** Small files compaction removed (rewrote). */
  public long filesCompacted() {
    return filesCompacted.sum();
  }

  /** Bytes of the small files compaction removed. */
  public long bytesCompacted() {
    return bytesCompacted.sum();
  }

  /** Files compaction added in their place. */
  public long filesFromCompaction() {
    return filesFromCompaction.sum();
  }

  /** Records a compaction commit. */
  public void compacted(CompactionResult result) {
    if (result.compacted()) {
      compactions.increment();
      filesCompacted.add(result.filesRemoved());
      bytesCompacted.add(result.bytesRemoved());
      filesFromCompaction.add(result.filesAdded());
    }
  }
}
