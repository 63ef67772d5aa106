package io.sluice.engine.internal.state.heap;

import io.sluice.engine.internal.state.StateMeta;
import io.sluice.engine.state.StateDescriptor;
import io.sluice.engine.state.StateTtl;

/** One registered state: its descriptor and one {@link KeyGroupMap} per owned key group. */
final class StateTable {
  final StateDescriptor<?> descriptor;
  final StateMeta meta;
  /** Time-to-live in milliseconds; 0 when the state has none. */
  final long ttlMillis;
  final boolean refreshOnRead;
  final KeyGroupMap[] maps;

  StateTable(StateDescriptor<?> descriptor, int keyGroups) {
    this.descriptor = descriptor;
    this.meta = StateMeta.of(descriptor);
    this.ttlMillis = descriptor.ttl().map(StateTtl::ttlMillis).orElse(0L);
    this.refreshOnRead = descriptor.ttl().map(StateTtl::refreshOnRead).orElse(false);
    this.maps = new KeyGroupMap[keyGroups];
    for (int i = 0; i < keyGroups; i++) {
      maps[i] = new KeyGroupMap();
    }
  }

  boolean hasTtl() {
    return ttlMillis > 0;
  }
}
