package io.sluice.engine.internal.state.heap;

/** A list element or map value of a state with a time-to-live, stamped with its write time. */
record TtlValue(Object value, long timestamp) {}
