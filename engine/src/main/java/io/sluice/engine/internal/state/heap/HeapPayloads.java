package io.sluice.engine.internal.state.heap;

import io.sluice.engine.internal.state.StatePayloads;
import io.sluice.engine.internal.state.StatePayloads.PayloadWriter;
import io.sluice.engine.state.AggregatingStateDescriptor;
import io.sluice.engine.state.ListStateDescriptor;
import io.sluice.engine.state.MapStateDescriptor;
import io.sluice.engine.state.ReducingStateDescriptor;
import io.sluice.engine.state.Serializer;
import io.sluice.engine.state.StateDescriptor;
import io.sluice.engine.state.ValueStateDescriptor;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Converts heap entries to canonical payloads ({@link StatePayloads}) and back. */
final class HeapPayloads {
  private final StateTable table;
  private final Serializer<Object> values;
  private final Serializer<Object> userKeys;
  private final StatePayloads.PayloadWriter element = new PayloadWriter();

  @SuppressWarnings("unchecked")
  HeapPayloads(StateTable table) {
    this.table = table;
    StateDescriptor<?> d = table.descriptor;
    if (d instanceof ValueStateDescriptor<?> v) {
      values = (Serializer<Object>) v.serializer();
      userKeys = null;
    } else if (d instanceof ListStateDescriptor<?> l) {
      values = (Serializer<Object>) l.elementSerializer();
      userKeys = null;
    } else if (d instanceof MapStateDescriptor<?, ?> m) {
      values = (Serializer<Object>) m.valueSerializer();
      userKeys = (Serializer<Object>) m.keySerializer();
    } else if (d instanceof ReducingStateDescriptor<?> r) {
      values = (Serializer<Object>) r.serializer();
      userKeys = null;
    } else {
      values = (Serializer<Object>) ((AggregatingStateDescriptor<?, ?, ?>) d).accumulatorSerializer();
      userKeys = null;
    }
  }

  Serializer<Object> valueSerializer() {
    return values;
  }

  /**
   * Writes the payload of {@code entry} into {@code out}, leaving out what expired at {@code
   * now}; false when nothing is left.
   */
  boolean encode(StateEntry entry, long now, PayloadWriter out) throws IOException {
    out.reset();
    switch (table.meta.kind()) {
      case LIST -> {
        List<?> list = (List<?>) entry.value();
        int live = 0;
        for (Object e : list) {
          if (!expired(e, now)) {
            live++;
          }
        }
        if (live == 0) {
          return false;
        }
        out.writeInt(live);
        for (Object e : list) {
          if (!expired(e, now)) {
            out.writeLong(timestampOf(e));
            element.reset();
            values.serialize(valueOf(e), element.out());
            out.writeSized(element.bytes(), element.length());
          }
        }
      }
      case MAP -> {
        Map<?, ?> map = (Map<?, ?>) entry.value();
        int live = 0;
        for (Object v : map.values()) {
          if (!expired(v, now)) {
            live++;
          }
        }
        if (live == 0) {
          return false;
        }
        out.writeInt(live);
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (!expired(e.getValue(), now)) {
            element.reset();
            userKeys.serialize(e.getKey(), element.out());
            out.writeSized(element.bytes(), element.length());
            out.writeLong(timestampOf(e.getValue()));
            element.reset();
            values.serialize(valueOf(e.getValue()), element.out());
            out.writeSized(element.bytes(), element.length());
          }
        }
      }
      default -> {
        if (StatePayloads.expired(entry.ttlTimestamp(), table.ttlMillis, now)) {
          return false;
        }
        out.writeLong(table.hasTtl() ? entry.ttlTimestamp() : StatePayloads.NO_TTL);
        values.serialize(entry.value(), out.out());
      }
    }
    return true;
  }

  /**
   * Reads a canonical payload into an entry of {@code epoch}, or null when everything in it
   * expired at {@code now}. A value written without a time-to-live gets {@code now} as its
   * timestamp when the state now has one.
   */
  StateEntry decode(byte[] payload, long now, int epoch) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
    switch (table.meta.kind()) {
      case LIST -> {
        int n = in.readInt();
        ArrayList<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          long ts = restoredTimestamp(in.readLong(), now);
          in.readInt();
          Object value = values.deserialize(in);
          if (!StatePayloads.expired(ts, table.ttlMillis, now)) {
            list.add(table.hasTtl() ? new TtlValue(value, ts) : value);
          }
        }
        return list.isEmpty() ? null : new StateEntry(list, StatePayloads.NO_TTL, epoch);
      }
      case MAP -> {
        int n = in.readInt();
        HashMap<Object, Object> map = new HashMap<>();
        for (int i = 0; i < n; i++) {
          in.readInt();
          Object key = userKeys.deserialize(in);
          long ts = restoredTimestamp(in.readLong(), now);
          in.readInt();
          Object value = values.deserialize(in);
          if (!StatePayloads.expired(ts, table.ttlMillis, now)) {
            map.put(key, table.hasTtl() ? new TtlValue(value, ts) : value);
          }
        }
        return map.isEmpty() ? null : new StateEntry(map, StatePayloads.NO_TTL, epoch);
      }
      default -> {
        long ts = restoredTimestamp(in.readLong(), now);
        Object value = values.deserialize(in);
        if (StatePayloads.expired(ts, table.ttlMillis, now)) {
          return null;
        }
        return new StateEntry(value, ts, epoch);
      }
    }
  }

  private long restoredTimestamp(long stored, long now) {
    if (!table.hasTtl()) {
      return StatePayloads.NO_TTL;
    }
    return stored == StatePayloads.NO_TTL ? now : stored;
  }

  boolean expired(Object element, long now) {
    return element instanceof TtlValue t
        && StatePayloads.expired(t.timestamp(), table.ttlMillis, now);
  }

  static Object valueOf(Object element) {
    return element instanceof TtlValue t ? t.value() : element;
  }

  static long timestampOf(Object element) {
    return element instanceof TtlValue t ? t.timestamp() : StatePayloads.NO_TTL;
  }
}
