package io.sluice.state.rocksdb.internal;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.IndexType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.StringAppendOperator;
import org.rocksdb.WriteBufferManager;

/**
 * The native memory of one RocksDB state backend, shared by the databases of all its keyed
 * operator subtasks: one LRU block cache and one write buffer manager that charges every memtable
 * to that cache, so that blocks and memtables together stay within the budget {@code M}:
 *
 * <pre>
 * write buffer manager capacity  W = M / 3
 * block cache capacity           C = M - W / 2 = 5M / 6
 * write buffer per state         clamp(W / 4, 1MB, 64MB)
 * </pre>
 *
 * Memtables may overshoot {@code W} by up to half before their flush completes, hence {@code C +
 * W/2 = M} (the rule Flink uses with a write buffer ratio of 1/2). Index and filter blocks live in
 * the cache (not in table readers, where they would grow with the state), with high priority in a
 * tenth of it; filters and indexes are partitioned so that only the top levels stay pinned.
 * Not counted: a few megabytes per database for compaction and iterators.
 *
 * <p>The native objects exist while at least one database is open ({@link #acquire}), so a
 * configured but idle backend holds no native memory.
 */
public final class SharedResources {
  private static final long MIN_WRITE_BUFFER = 1L << 20;
  private static final long MAX_WRITE_BUFFER = 64L << 20;
  private static final double HIGH_PRIORITY_POOL_RATIO = 0.1;
  private static final int BLOOM_BITS_PER_KEY = 10;

  private final long memoryBytes;
  private Natives natives;
  private int leases;

  public SharedResources(long memoryBytes) {
    this.memoryBytes = memoryBytes;
  }

  public static long writeBufferManagerCapacity(long memoryBytes) {
    return memoryBytes / 3;
  }

  public static long blockCacheCapacity(long memoryBytes) {
    return memoryBytes - writeBufferManagerCapacity(memoryBytes) / 2;
  }

  public static long writeBufferSize(long memoryBytes) {
    return Math.max(
        MIN_WRITE_BUFFER, Math.min(MAX_WRITE_BUFFER, writeBufferManagerCapacity(memoryBytes) / 4));
  }

  /** The options every database of this backend is opened with; release them with close. */
  public synchronized Lease acquire() {
    if (leases++ == 0) {
      natives = new Natives(memoryBytes);
    }
    return new Lease(natives);
  }

  private synchronized void release() {
    if (--leases == 0) {
      natives.close();
      natives = null;
    }
  }

  /** One database's use of the shared resources. */
  public final class Lease implements AutoCloseable {
    private final Natives natives;
    private boolean released;

    private Lease(Natives natives) {
      this.natives = natives;
    }

    DBOptions dbOptions() {
      return natives.dbOptions;
    }

    ColumnFamilyOptions columnFamilyOptions() {
      return natives.columnFamilyOptions;
    }

    @Override
    public void close() {
      if (!released) {
        released = true;
        release();
      }
    }
  }

  private static final class Natives implements AutoCloseable {
    final LRUCache cache;
    final WriteBufferManager writeBufferManager;
    final BloomFilter bloomFilter;
    final StringAppendOperator listAppend;
    final DBOptions dbOptions;
    final ColumnFamilyOptions columnFamilyOptions;

    Natives(long memoryBytes) {
      cache = new LRUCache(blockCacheCapacity(memoryBytes), -1, false, HIGH_PRIORITY_POOL_RATIO);
      writeBufferManager =
          new WriteBufferManager(writeBufferManagerCapacity(memoryBytes), cache);
      bloomFilter = new BloomFilter(BLOOM_BITS_PER_KEY);
      listAppend = DatabaseOptions.listAppendOperator();
      dbOptions = DatabaseOptions.db().setWriteBufferManager(writeBufferManager);
      columnFamilyOptions =
          DatabaseOptions.columnFamily(listAppend)
              .setWriteBufferSize(writeBufferSize(memoryBytes))
              .setTableFormatConfig(
                  new BlockBasedTableConfig()
                      .setBlockCache(cache)
                      .setFilterPolicy(bloomFilter)
                      .setCacheIndexAndFilterBlocks(true)
                      .setCacheIndexAndFilterBlocksWithHighPriority(true)
                      .setPinL0FilterAndIndexBlocksInCache(true)
                      .setIndexType(IndexType.kTwoLevelIndexSearch)
                      .setPartitionFilters(true)
                      .setPinTopLevelIndexAndFilter(true));
    }

    @Override
    public void close() {
      columnFamilyOptions.close();
      dbOptions.close();
      listAppend.close();
      bloomFilter.close();
      writeBufferManager.close();
      cache.close();
    }
  }
}
