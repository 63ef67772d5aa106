package io.sluice.engine.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Serializers of common types. Their formats are fixed: checkpoints keep their bytes. */
public final class Serializers {
  private Serializers() {}

  /** UTF-8 with an int length prefix (not {@code writeUTF}, which caps strings at 64 KiB). */
  public static Serializer<String> string() {
    return STRING;
  }

  public static Serializer<Long> longs() {
    return LONG;
  }

  public static Serializer<Integer> ints() {
    return INT;
  }

  public static Serializer<Boolean> booleans() {
    return BOOLEAN;
  }

  public static Serializer<Double> doubles() {
    return DOUBLE;
  }

  public static Serializer<byte[]> bytes() {
    return BYTES;
  }

  /**
   * Keys of the common types, written with a type tag: {@link String}, {@link Long}, {@link
   * Integer}, {@link Boolean} and {@link Double}. Other types (arrays, which compare by identity,
   * included) need a serializer of their own.
   */
  @SuppressWarnings("unchecked")
  public static <K> Serializer<K> commonKeys() {
    return (Serializer<K>) COMMON_KEYS;
  }

  /** Lists of {@code element}, copied element by element. */
  public static <T> Serializer<List<T>> listOf(Serializer<T> element) {
    return new Serializer<>() {
      @Override
      public void serialize(List<T> value, DataOutput out) throws IOException {
        out.writeInt(value.size());
        for (T t : value) {
          element.serialize(t, out);
        }
      }

      @Override
      public List<T> deserialize(DataInput in) throws IOException {
        int n = in.readInt();
        List<T> list = new ArrayList<>(Math.max(0, Math.min(n, 1 << 16)));
        for (int i = 0; i < n; i++) {
          list.add(element.deserialize(in));
        }
        return list;
      }

      @Override
      public List<T> copy(List<T> value) {
        List<T> list = new ArrayList<>(value.size());
        for (T t : value) {
          list.add(element.copy(t));
        }
        return list;
      }
    };
  }

  private static final Serializer<Object> COMMON_KEYS =
      new Serializer<>() {
        @Override
        public void serialize(Object key, DataOutput out) throws IOException {
          if (key instanceof String s) {
            out.writeByte(1);
            STRING.serialize(s, out);
          } else if (key instanceof Long l) {
            out.writeByte(2);
            out.writeLong(l);
          } else if (key instanceof Integer i) {
            out.writeByte(3);
            out.writeInt(i);
          } else if (key instanceof Boolean b) {
            out.writeByte(4);
            out.writeBoolean(b);
          } else if (key instanceof Double d) {
            out.writeByte(5);
            out.writeDouble(d);
          } else {
            throw new IllegalArgumentException(
                "a key of type " + (key == null ? "null" : key.getClass().getName())
                    + " needs a serializer: keyBy(selector, serializer)");
          }
        }

        @Override
        public Object deserialize(DataInput in) throws IOException {
          int tag = in.readUnsignedByte();
          return switch (tag) {
            case 1 -> STRING.deserialize(in);
            case 2 -> in.readLong();
            case 3 -> in.readInt();
            case 4 -> in.readBoolean();
            case 5 -> in.readDouble();
            default -> throw new IOException("unknown key type tag " + tag);
          };
        }
      };

  private static final Serializer<String> STRING =
      new Serializer<>() {
        @Override
        public void serialize(String value, DataOutput out) throws IOException {
          byte[] b = value.getBytes(StandardCharsets.UTF_8);
          out.writeInt(b.length);
          out.write(b);
        }

        @Override
        public String deserialize(DataInput in) throws IOException {
          byte[] b = new byte[in.readInt()];
          in.readFully(b);
          return new String(b, StandardCharsets.UTF_8);
        }
      };

  private static final Serializer<Long> LONG =
      new Serializer<>() {
        @Override
        public void serialize(Long value, DataOutput out) throws IOException {
          out.writeLong(value);
        }

        @Override
        public Long deserialize(DataInput in) throws IOException {
          return in.readLong();
        }
      };

  private static final Serializer<Integer> INT =
      new Serializer<>() {
        @Override
        public void serialize(Integer value, DataOutput out) throws IOException {
          out.writeInt(value);
        }

        @Override
        public Integer deserialize(DataInput in) throws IOException {
          return in.readInt();
        }
      };

  private static final Serializer<Boolean> BOOLEAN =
      new Serializer<>() {
        @Override
        public void serialize(Boolean value, DataOutput out) throws IOException {
          out.writeBoolean(value);
        }

        @Override
        public Boolean deserialize(DataInput in) throws IOException {
          return in.readBoolean();
        }
      };

  private static final Serializer<Double> DOUBLE =
      new Serializer<>() {
        @Override
        public void serialize(Double value, DataOutput out) throws IOException {
          out.writeDouble(value);
        }

        @Override
        public Double deserialize(DataInput in) throws IOException {
          return in.readDouble();
        }
      };

  private static final Serializer<byte[]> BYTES =
      new Serializer<>() {
        @Override
        public void serialize(byte[] value, DataOutput out) throws IOException {
          out.writeInt(value.length);
          out.write(value);
        }

        @Override
        public byte[] deserialize(DataInput in) throws IOException {
          byte[] b = new byte[in.readInt()];
          in.readFully(b);
          return b;
        }

        @Override
        public byte[] copy(byte[] value) {
          return value.clone();
        }
      };
}
