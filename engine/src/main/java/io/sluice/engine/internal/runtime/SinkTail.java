package io.sluice.engine.internal.runtime;

import io.sluice.engine.internal.Sneaky;
import io.sluice.engine.sink.CommittableSerializer;
import io.sluice.engine.sink.SinkWriter;
import java.util.ArrayList;
import java.util.List;

/** A sink writer at the end of a chain. */
public final class SinkTail implements ChainTail {
  private final SinkWriter<Object, Object> writer;
  private final CommittableSerializer<Object> serializer;
  private long count;

  public SinkTail(SinkWriter<Object, Object> writer, CommittableSerializer<Object> serializer) {
    this.writer = writer;
    this.serializer = serializer;
  }

  @Override
  public void collect(Object record) {
    try {
      writer.write(record);
    } catch (Exception e) {
      throw Sneaky.raise(e);
    }
    count++;
  }

  @Override
  public void flush() {}

  @Override
  public void flushIfOlder(long nowNanos) {}

  @Override
  public List<byte[]> checkpoint(long checkpointId) throws Exception {
    List<Object> committables = writer.prepareCommit(checkpointId);
    if (committables == null) {
      return List.of();
    }
    List<byte[]> out = new ArrayList<>(committables.size());
    for (Object c : committables) {
      out.add(serializer.serialize(c));
    }
    return out;
  }

  @Override
  public long takeRecordCount() {
    long c = count;
    count = 0;
    return c;
  }

  @Override
  public void endInput() {}

  @Override
  public void close() throws Exception {
    writer.close();
  }
}
