package io.sluice.state.rocksdb.internal;

import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.StringAppendOperator;

/** Options common to the live databases and to the read-only ones opened from checkpoints. */
final class DatabaseOptions {
  private DatabaseOptions() {}

  static DBOptions db() {
    return new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        // A database is thrown away on close and rebuilt from a checkpoint: nothing to flush.
        .setAvoidFlushDuringShutdown(true)
        .setInfoLogLevel(InfoLogLevel.HEADER_LEVEL)
        .setStatsDumpPeriodSec(0);
  }

  /**
   * Column family options with the list append operator, which every database needs, also a
   * read-only one: a list's unmerged operands are merged when it is read.
   */
  static ColumnFamilyOptions columnFamily(StringAppendOperator listAppend) {
    return new ColumnFamilyOptions().setMergeOperator(listAppend);
  }

  /**
   * Appends list elements by concatenation, without a delimiter: each stored element carries its
   * length ({@link ValueLayout}). A merge makes {@code ListState.add} a blind write, where
   * read-modify-write would read and rewrite the whole list on every add (quadratic in its
   * length); the elements are merged by compactions or when the list is read.
   */
  static StringAppendOperator listAppendOperator() {
    return new StringAppendOperator("");
  }
}
