package io.sluice.kafka.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reader's checkpoint state: the topic (name and id) and the next offset of each partition it
 * owned. Layout, big-endian: version byte (1), topic name (modified UTF-8), a byte flag and two
 * longs for the topic id, the partition count, then (int partition, long next offset) pairs.
 */
public record OffsetsState(String topic, long topicIdHigh, long topicIdLow, boolean hasTopicId,
    Map<Integer, Long> nextOffsets) {
  private static final byte VERSION = 1;

  public OffsetsState {
    nextOffsets = Collections.unmodifiableMap(new LinkedHashMap<>(nextOffsets));
  }

  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + nextOffsets.size() * 12);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeUTF(topic);
      out.writeBoolean(hasTopicId);
      out.writeLong(topicIdHigh);
      out.writeLong(topicIdLow);
      out.writeInt(nextOffsets.size());
      for (Map.Entry<Integer, Long> e : nextOffsets.entrySet()) {
        out.writeInt(e.getKey());
        out.writeLong(e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static OffsetsState decode(byte[] state) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("unknown Kafka source state version " + version);
      }
      String topic = in.readUTF();
      boolean hasTopicId = in.readBoolean();
      long high = in.readLong();
      long low = in.readLong();
      int count = in.readInt();
      if (count < 0) {
        throw new IllegalArgumentException("corrupt Kafka source state: " + count + " partitions");
      }
      Map<Integer, Long> offsets = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        offsets.put(in.readInt(), in.readLong());
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException("corrupt Kafka source state: trailing bytes");
      }
      return new OffsetsState(topic, high, low, hasTopicId, offsets);
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt Kafka source state: " + e, e);
    }
  }
}
