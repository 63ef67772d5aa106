package io.sluice.delta.internal;

import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.statistics.DataFileStatistics;
import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Parquet {@link WriteSupport} for engine {@link Row}s (no Avro): writes the non-partition
 * columns by position and collects Delta file statistics while writing. One instance per data
 * file. The hot path allocates nothing but the {@link Binary} wrapper of string values: numbers
 * are unboxed, strings are UTF-8 encoded into a reused buffer, and string min/max are tracked on
 * exactly those bytes (unsigned byte order = code point order; a lone surrogate is written, and so
 * counted, as '?'), copied into per-column buffers that grow only for a longer new bound. Binary
 * values are written as they are, with a null count and no bounds (as Delta writers keep them).
 */
final class RowWriteSupport extends WriteSupport<Row> {
  private static final byte STRING = 0;
  private static final byte INT = 1;
  private static final byte LONG = 2;
  private static final byte FLOAT = 3;
  private static final byte DOUBLE = 4;
  private static final byte BOOLEAN = 5;
  private static final byte BINARY = 6;

  private final MessageType parquetSchema;
  private final String[] names;
  private final FieldType[] types;
  private final int[] ordinals;
  private final byte[] kinds;

  private final long[] nullCounts;
  private final boolean[] seen;
  private final boolean[] sawNaN;
  private final long[] minLong;
  private final long[] maxLong;
  private final double[] minDouble;
  private final double[] maxDouble;
  private final byte[][] minBytes;
  private final byte[][] maxBytes;
  private final int[] minLength;
  private final int[] maxLength;
  private long rowCount;

  private RecordConsumer consumer;
  private byte[] utf8 = new byte[256];

  RowWriteSupport(Schema schema, List<String> partitionColumns, MessageType parquetSchema) {
    this.parquetSchema = parquetSchema;
    int n = schema.size() - partitionColumns.size();
    names = new String[n];
    types = new FieldType[n];
    ordinals = new int[n];
    kinds = new byte[n];
    int k = 0;
    for (int i = 0; i < schema.size(); i++) {
      Field f = schema.field(i);
      if (partitionColumns.contains(f.name())) {
        continue;
      }
      names[k] = f.name();
      types[k] = f.type();
      ordinals[k] = i;
      kinds[k] =
          switch (f.type()) {
            case STRING -> STRING;
            case INT, DATE -> INT;
            case LONG, TIMESTAMP -> LONG;
            case FLOAT -> FLOAT;
            case DOUBLE -> DOUBLE;
            case BOOLEAN -> BOOLEAN;
            case BINARY -> BINARY;
          };
      k++;
    }
    nullCounts = new long[n];
    seen = new boolean[n];
    sawNaN = new boolean[n];
    minLong = new long[n];
    maxLong = new long[n];
    minDouble = new double[n];
    maxDouble = new double[n];
    minBytes = new byte[n][];
    maxBytes = new byte[n][];
    minLength = new int[n];
    maxLength = new int[n];
  }

  @Override
  public WriteContext init(Configuration configuration) {
    return new WriteContext(parquetSchema, Map.of("writer.model.name", "sluice"));
  }

  @Override
  public String getName() {
    return "sluice";
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = recordConsumer;
  }

  @Override
  public void write(Row row) {
    RecordConsumer rc = consumer;
    rc.startMessage();
    for (int i = 0; i < names.length; i++) {
      Object v = row.get(ordinals[i]);
      if (v == null) {
        nullCounts[i]++;
        continue;
      }
      rc.startField(names[i], i);
      switch (kinds[i]) {
        case STRING -> {
          int length = encode((String) v);
          byte[] bytes = utf8;
          rc.addBinary(Binary.fromReusedByteArray(bytes, 0, length));
          if (!seen[i]) {
            minBytes[i] = copy(minBytes[i], bytes, length);
            minLength[i] = length;
            maxBytes[i] = copy(maxBytes[i], bytes, length);
            maxLength[i] = length;
          } else if (Arrays.compareUnsigned(bytes, 0, length, minBytes[i], 0, minLength[i]) < 0) {
            minBytes[i] = copy(minBytes[i], bytes, length);
            minLength[i] = length;
          } else if (Arrays.compareUnsigned(bytes, 0, length, maxBytes[i], 0, maxLength[i]) > 0) {
            maxBytes[i] = copy(maxBytes[i], bytes, length);
            maxLength[i] = length;
          }
        }
        case INT -> {
          int x = (Integer) v;
          rc.addInteger(x);
          trackLong(i, x);
        }
        case LONG -> {
          long x = (Long) v;
          rc.addLong(x);
          trackLong(i, x);
        }
        case FLOAT -> {
          float x = (Float) v;
          rc.addFloat(x);
          trackDouble(i, x);
        }
        case DOUBLE -> {
          double x = (Double) v;
          rc.addDouble(x);
          trackDouble(i, x);
        }
        case BINARY -> rc.addBinary(Binary.fromConstantByteArray((byte[]) v));
        default -> {
          boolean b = (Boolean) v;
          rc.addBoolean(b);
          trackLong(i, b ? 1 : 0);
        }
      }
      seen[i] = true;
      rc.endField(names[i], i);
    }
    rc.endMessage();
    rowCount++;
  }

  private void trackLong(int i, long x) {
    if (!seen[i]) {
      minLong[i] = x;
      maxLong[i] = x;
    } else if (x < minLong[i]) {
      minLong[i] = x;
    } else if (x > maxLong[i]) {
      maxLong[i] = x;
    }
  }

  private void trackDouble(int i, double x) {
    if (Double.isNaN(x)) {
      sawNaN[i] = true;
      if (!seen[i]) {
        minDouble[i] = Double.POSITIVE_INFINITY;
        maxDouble[i] = Double.NEGATIVE_INFINITY;
      }
      return;
    }
    if (!seen[i]) {
      minDouble[i] = x;
      maxDouble[i] = x;
    } else {
      if (x < minDouble[i]) {
        minDouble[i] = x;
      }
      if (x > maxDouble[i]) {
        maxDouble[i] = x;
      }
    }
  }

  /** Copies {@code length} bytes into {@code target}, reallocated only when too small. */
  private static byte[] copy(byte[] target, byte[] source, int length) {
    if (target == null || target.length < length) {
      target = new byte[Math.max(length, target == null ? 16 : target.length * 2)];
    }
    System.arraycopy(source, 0, target, 0, length);
    return target;
  }

  /**
   * UTF-8 encodes into the reused buffer {@link #utf8} (Parquet copies reused binaries it keeps)
   * and returns the encoded length.
   */
  private int encode(String s) {
    int len = s.length();
    if (utf8.length < len * 3) {
      utf8 = new byte[Math.max(len * 3, utf8.length * 2)];
    }
    byte[] buf = utf8;
    int p = 0;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        buf[p++] = (byte) c;
      } else if (c < 0x800) {
        buf[p++] = (byte) (0xC0 | (c >> 6));
        buf[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < len
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        buf[p++] = (byte) (0xF0 | (cp >> 18));
        buf[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        buf[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        buf[p++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        buf[p++] = (byte) '?'; // unpaired surrogate, as String.getBytes(UTF_8) does
      } else {
        buf[p++] = (byte) (0xE0 | (c >> 12));
        buf[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return p;
  }

  long rowCount() {
    return rowCount;
  }

  /** Delta statistics of everything written so far. */
  DataFileStatistics statistics() {
    Map<Column, Literal> min = new HashMap<>();
    Map<Column, Literal> max = new HashMap<>();
    Map<Column, Long> nulls = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      Column col = new Column(names[i]);
      nulls.put(col, nullCounts[i]);
      if (!seen[i] || sawNaN[i]) {
        continue; // all null: no bounds; NaN present: omit bounds rather than mislead skipping
      }
      switch (types[i]) {
        case STRING -> {
          String lower = new String(minBytes[i], 0, minLength[i], StandardCharsets.UTF_8);
          min.put(col, Literal.ofString(StringBounds.truncateMin(lower)));
          String upper =
              StringBounds.truncateMax(
                  new String(maxBytes[i], 0, maxLength[i], StandardCharsets.UTF_8));
          if (upper != null) {
            max.put(col, Literal.ofString(upper));
          }
        }
        case INT -> {
          min.put(col, Literal.ofInt((int) minLong[i]));
          max.put(col, Literal.ofInt((int) maxLong[i]));
        }
        case DATE -> {
          min.put(col, Literal.ofDate((int) minLong[i]));
          max.put(col, Literal.ofDate((int) maxLong[i]));
        }
        case LONG -> {
          min.put(col, Literal.ofLong(minLong[i]));
          max.put(col, Literal.ofLong(maxLong[i]));
        }
        case TIMESTAMP -> {
          // Delta stats hold milliseconds: the serializer truncates, so round the max up to keep
          // it an upper bound.
          min.put(col, Literal.ofTimestamp(minLong[i]));
          max.put(col, Literal.ofTimestamp(-Math.floorDiv(-maxLong[i], 1000L) * 1000L));
        }
        case FLOAT -> {
          min.put(col, Literal.ofFloat((float) minDouble[i]));
          max.put(col, Literal.ofFloat((float) maxDouble[i]));
        }
        case DOUBLE -> {
          min.put(col, Literal.ofDouble(minDouble[i]));
          max.put(col, Literal.ofDouble(maxDouble[i]));
        }
        case BOOLEAN -> {
          min.put(col, Literal.ofBoolean(minLong[i] != 0));
          max.put(col, Literal.ofBoolean(maxLong[i] != 0));
        }
        case BINARY -> {
          // no bounds: the null count only
        }
      }
    }
    return new DataFileStatistics(rowCount, min, max, nulls, Optional.empty());
  }
}
