package io.sluice.state.rocksdb.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataInputStream;

/** A reusable {@link DataInput} over part of a byte array, for deserializing stored values. */
final class InputBuffer {
  private final Source source = new Source();
  private final DataInputStream in = new DataInputStream(source);

  DataInput of(byte[] bytes, int offset, int length) {
    source.reset(bytes, offset, length);
    return in;
  }

  private static final class Source extends ByteArrayInputStream {
    Source() {
      super(new byte[0]);
    }

    void reset(byte[] bytes, int offset, int length) {
      buf = bytes;
      pos = offset;
      count = offset + length;
      mark = offset;
    }
  }
}
