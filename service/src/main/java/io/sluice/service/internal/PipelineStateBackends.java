package io.sluice.service.internal;

import io.sluice.engine.state.StateBackend;
import io.sluice.engine.state.StateBackends;
import io.sluice.service.config.PipelineConfig;
import io.sluice.state.rocksdb.RocksDbStateBackend;

/** The state backend a pipeline file chose. */
final class PipelineStateBackends {
  private PipelineStateBackends() {}

  static StateBackend create(PipelineConfig config) {
    PipelineConfig.State state = config.state();
    return switch (state.backend()) {
      case HEAP -> StateBackends.heap();
      case ROCKSDB -> new RocksDbStateBackend(state.directory(), state.rocksDbMemoryBytes());
    };
  }
}
