package io.sluice.engine.internal.operators;

import io.sluice.engine.internal.state.SnapshotTarget;
import io.sluice.engine.source.InputStatus;
import io.sluice.engine.source.Source;
import io.sluice.engine.source.SourceContext;
import io.sluice.engine.source.SourceReader;

/**
 * Drives a {@link SourceReader}: its state is the reader's position, restored as the union of all
 * subtasks' states so the source can change parallelism; the reader hears of a checkpoint once it
 * is committed.
 */
public final class SourceOperator extends AbstractOperator {
  private final Source<Object> source;
  private SourceReader<Object> reader;

  public SourceOperator(Source<Object> source) {
    this.source = source;
  }

  @Override
  public void initializeState(OperatorRestore restore) throws Exception {
    reader =
        source.createReader(
            new SourceContext(
                context.pipelineId(), context.subtaskIndex(), context.parallelism()));
    reader.open(restore.operatorStates());
  }

  /** Emits what the reader has now. */
  public InputStatus pollNext() throws Exception {
    return reader.pollNext(output);
  }

  @Override
  public void processElement(Object record) {
    throw new UnsupportedOperationException("a source has no input");
  }

  @Override
  public OperatorSnapshot snapshotState(SnapshotTarget target) throws Exception {
    byte[] state = reader.snapshotState(target.checkpointId());
    return new OperatorSnapshot(state == null ? new byte[0] : state, java.util.List.of());
  }

  @Override
  public void notifyCheckpointCommitted(long checkpointId) throws Exception {
    reader.notifyCheckpointComplete(checkpointId);
  }

  @Override
  public void close() throws Exception {
    if (reader != null) {
      reader.close();
    }
  }
}
