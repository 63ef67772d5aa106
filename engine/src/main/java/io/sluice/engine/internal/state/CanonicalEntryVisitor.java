package io.sluice.engine.internal.state;

import java.io.IOException;

/**
 * Receives keyed state as canonical entries: the serialized key and a payload in the layout of
 * {@link StatePayloads} for the state's kind. Every backend can read and write this form, which
 * is what makes savepoints backend-independent and state redistributable.
 */
@FunctionalInterface
public interface CanonicalEntryVisitor {
  void entry(int keyGroup, StateMeta state, byte[] key, byte[] payload) throws IOException;
}
