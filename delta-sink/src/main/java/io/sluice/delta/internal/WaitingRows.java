package io.sluice.delta.internal;

import io.sluice.engine.row.Row;
import io.sluice.engine.row.RowSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Rows of one partition value that wait for a data file because the writer's open-file cap is
 * reached, serialized: they take about the bytes counted (no object overhead), and a caller
 * changing a row after writing it changes nothing here.
 */
final class WaitingRows {
  private final Buffer buffer = new Buffer();
  private final DataOutputStream out = new DataOutputStream(buffer);
  /** The writer's map key of the partition value. */
  final Object key;
  /** The writer's row count when the first of these rows arrived. */
  final long firstRowAt;
  private long rows;

  WaitingRows(Object key, long firstRowAt) {
    this.key = key;
    this.firstRowAt = firstRowAt;
  }

  /** Appends {@code row}; returns the bytes it takes. */
  long add(Row row, RowSerializer serializer) throws IOException {
    int before = buffer.size();
    serializer.serialize(row, out);
    rows++;
    return buffer.size() - before;
  }

  long rows() {
    return rows;
  }

  long bytes() {
    return buffer.size();
  }

  /** Reads the rows back, in order, once. */
  RowReader reader(RowSerializer serializer) {
    DataInputStream in = new DataInputStream(buffer.input());
    return new RowReader() {
      private long left = rows;

      @Override
      public Row next() throws IOException {
        if (left == 0) {
          return null;
        }
        left--;
        return serializer.deserialize(in);
      }
    };
  }

  interface RowReader {
    /** The next row, or null after the last. */
    Row next() throws IOException;
  }

  /** A byte buffer read back without copying. */
  private static final class Buffer extends ByteArrayOutputStream {
    ByteArrayInputStream input() {
      return new ByteArrayInputStream(buf, 0, count);
    }
  }
}
