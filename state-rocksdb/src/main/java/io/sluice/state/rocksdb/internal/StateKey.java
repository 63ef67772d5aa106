package io.sluice.state.rocksdb.internal;

import io.sluice.engine.internal.state.KeyBytes;
import io.sluice.engine.state.Serializer;
import java.io.IOException;
import java.util.Arrays;

/**
 * The RocksDB key of the current key's value, reused across calls:
 *
 * <pre>
 * short keyGroup (big endian), varint keyLength, key bytes [, user key bytes (map state)]
 * </pre>
 *
 * The key group comes first so that a key group is one contiguous range of every column family
 * (rescaling and exports read ranges); the length makes the serialized key a unique prefix, so a
 * map's user keys can follow it.
 */
final class StateKey {
  static final int KEY_GROUP_BYTES = 2;
  private static final int MAX_VARINT_BYTES = 5;

  private final KeyBytes userKey = new KeyBytes();
  private byte[] bytes = new byte[64];
  private int prefixLength;
  private int length;

  /** Sets the current key ({@code key[0..keyLength)}); the length is then the prefix length. */
  void set(int keyGroup, byte[] key, int keyLength) {
    ensureCapacity(KEY_GROUP_BYTES + MAX_VARINT_BYTES + keyLength);
    writeKeyGroup(bytes, keyGroup);
    int offset = writeVarInt(bytes, KEY_GROUP_BYTES, keyLength);
    System.arraycopy(key, 0, bytes, offset, keyLength);
    prefixLength = offset + keyLength;
    length = prefixLength;
  }

  /** Appends the serialized {@code key} of map state to the current key. */
  <T> void setUserKey(Serializer<T> serializer, T key) throws IOException {
    userKey.serialize(serializer, key);
    setUserKey(userKey.bytes(), 0, userKey.length());
  }

  void setUserKey(byte[] key, int offset, int keyLength) {
    ensureCapacity(prefixLength + keyLength);
    System.arraycopy(key, offset, bytes, prefixLength, keyLength);
    length = prefixLength + keyLength;
  }

  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  int prefixLength() {
    return prefixLength;
  }

  /** A copy of the current key's prefix, to seek to. */
  byte[] prefix() {
    return Arrays.copyOf(bytes, prefixLength);
  }

  private void ensureCapacity(int capacity) {
    if (bytes.length < capacity) {
      bytes = Arrays.copyOf(bytes, Math.max(capacity, bytes.length * 2));
    }
  }

  // ---- reading stored keys ----

  static byte[] keyGroupPrefix(int keyGroup) {
    byte[] prefix = new byte[KEY_GROUP_BYTES];
    writeKeyGroup(prefix, keyGroup);
    return prefix;
  }

  static int keyGroupOf(byte[] storedKey) {
    return (storedKey[0] & 0xff) << 8 | (storedKey[1] & 0xff);
  }

  /** Where the user key of a map entry starts: the length of the key group and key prefix. */
  static int prefixLengthOf(byte[] storedKey) {
    long lengthAndOffset = readKeyLength(storedKey);
    return (int) lengthAndOffset + (int) (lengthAndOffset >>> 32);
  }

  /** The serialized key (of the state's user) in a stored key. */
  static byte[] serializedKey(byte[] storedKey) {
    long lengthAndOffset = readKeyLength(storedKey);
    int offset = (int) lengthAndOffset;
    return Arrays.copyOfRange(storedKey, offset, offset + (int) (lengthAndOffset >>> 32));
  }

  /** The key's length (high half) and where the key starts (low half). */
  private static long readKeyLength(byte[] storedKey) {
    int offset = KEY_GROUP_BYTES;
    int keyLength = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = storedKey[offset++];
      keyLength |= (b & 0x7f) << shift;
      if (b >= 0) {
        return (long) keyLength << 32 | offset;
      }
    }
  }

  /** True when {@code a} and {@code b} start with the same {@code length} bytes. */
  static boolean samePrefix(byte[] a, byte[] b, int length) {
    return b.length >= length && Arrays.equals(a, 0, length, b, 0, length);
  }

  private static void writeKeyGroup(byte[] target, int keyGroup) {
    target[0] = (byte) (keyGroup >>> 8);
    target[1] = (byte) keyGroup;
  }

  private static int writeVarInt(byte[] target, int offset, int value) {
    while ((value & ~0x7f) != 0) {
      target[offset++] = (byte) (value & 0x7f | 0x80);
      value >>>= 7;
    }
    target[offset++] = (byte) value;
    return offset;
  }
}
