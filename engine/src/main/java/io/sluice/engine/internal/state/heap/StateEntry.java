package io.sluice.engine.internal.state.heap;

/**
 * One key's value of one state. Immutable, so snapshots can share entries with the live map; the
 * {@code epoch} tells whether a mutable value (a list, a map, an accumulator) was created after
 * the latest snapshot and may therefore be changed in place.
 */
record StateEntry(Object value, long ttlTimestamp, int epoch) {}
