package io.sluice.service.internal;

import io.sluice.engine.state.StateBackend;
import io.sluice.engine.state.StateBackends;
import io.sluice.service.config.PipelineConfig;

/** The state backend a pipeline file chose. */
final class PipelineStateBackends {
  private PipelineStateBackends() {}

  static StateBackend create(PipelineConfig config) {
    return switch (config.state().backend()) {
      case HEAP -> StateBackends.heap();
    };
  }
}
