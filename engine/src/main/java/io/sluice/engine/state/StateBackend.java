package io.sluice.engine.state;

import io.sluice.engine.internal.state.KeyedBackendParameters;
import io.sluice.engine.internal.state.KeyedStateBackend;

/**
 * Where keyed state lives while a job runs: {@link StateBackends#heap()} keeps it in Java hash
 * maps; the RocksDB backend (module {@code state-rocksdb}) on local disk. Checkpoints of either
 * restore into the same backend at any parallelism; savepoints also restore into the other one.
 * Implemented by the engine and its backend modules, not by users.
 */
public interface StateBackend {

  /** The name used in configuration and logs ({@code heap}, {@code rocksdb}). */
  String name();

  <K> KeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters)
      throws Exception;
}
