package io.sluice.service.config;

/** The state backends a pipeline file can choose. */
public enum StateBackendKind {
  /** Keyed state in Java hash maps: fastest, bounded by the heap. */
  HEAP,
  /** Keyed state in RocksDB on local disk, with incremental checkpoints: for state beyond the heap. */
  ROCKSDB
}
