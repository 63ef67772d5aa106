package io.sluice.engine.sink;

import java.io.IOException;

/** Turns committables into bytes for checkpoint storage and back. */
public interface CommittableSerializer<C> {
  byte[] serialize(C committable) throws IOException;

  C deserialize(byte[] bytes) throws IOException;
}
