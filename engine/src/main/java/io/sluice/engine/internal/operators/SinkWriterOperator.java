package io.sluice.engine.internal.operators;

import io.sluice.engine.internal.state.SnapshotTarget;
import io.sluice.engine.sink.CommittableSerializer;
import io.sluice.engine.sink.SinkContext;
import io.sluice.engine.sink.SinkWriter;
import io.sluice.engine.sink.TwoPhaseCommitSink;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a {@link SinkWriter}: on each checkpoint it prepares the commit and stores the
 * serialized committables, with the number of records they hold, as its operator state ({@link
 * SinkCommittables}); the sink's global committer publishes them once the checkpoint is durable.
 * Writers restore nothing: a restore re-commits the checkpoint's committables instead.
 */
public final class SinkWriterOperator extends AbstractOperator {
  private final TwoPhaseCommitSink<Object, Object> sink;
  private SinkWriter<Object, Object> writer;
  private CommittableSerializer<Object> serializer;
  private long records;

  public SinkWriterOperator(TwoPhaseCommitSink<Object, Object> sink) {
    this.sink = sink;
  }

  @Override
  public void initializeState(OperatorRestore restore) throws Exception {
    serializer = sink.committableSerializer();
    writer =
        sink.createWriter(
            new SinkContext(
                context.pipelineId(),
                context.subtaskIndex(),
                context.parallelism(),
                restore.checkpointId()));
  }

  @Override
  public void processElement(Object record) throws Exception {
    writer.write(record);
    records++;
  }

  @Override
  public OperatorSnapshot snapshotState(SnapshotTarget target) throws Exception {
    List<Object> committables = writer.prepareCommit(target.checkpointId());
    List<byte[]> serialized = new ArrayList<>();
    if (committables != null) {
      for (Object c : committables) {
        serialized.add(serializer.serialize(c));
      }
    }
    byte[] state = SinkCommittables.encode(records, serialized);
    records = 0;
    return new OperatorSnapshot(state, List.of());
  }

  @Override
  public void close() throws Exception {
    if (writer != null) {
      writer.close();
    }
  }
}
