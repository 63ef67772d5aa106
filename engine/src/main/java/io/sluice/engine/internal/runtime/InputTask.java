package io.sluice.engine.internal.runtime;

import io.sluice.engine.internal.exchange.Batch;
import io.sluice.engine.internal.exchange.CheckpointedInput;
import io.sluice.engine.internal.exchange.InputGate;
import io.sluice.engine.internal.graph.OperatorSpec;
import io.sluice.engine.source.Output;
import java.util.List;
import java.util.concurrent.Callable;

/** A subtask fed by an exchange: reads its gate with barrier alignment into the chain. */
public final class InputTask extends Task {
  private static final long WAIT_NANOS = 50_000_000L;

  private final InputGate gate;

  public InputTask(
      int index,
      String name,
      InputGate gate,
      List<OperatorSpec> operators,
      Callable<ChainTail> tailFactory,
      TaskListener listener) {
    super(index, name, operators, tailFactory, listener);
    this.gate = gate;
  }

  @Override
  protected Runnable wakeupHook() {
    return gate::wakeup;
  }

  @Override
  protected void invoke() throws Exception {
    createTail();
    final ChainTail tail = this.tail;
    final Output<Object> head = Chains.build(operators, tail);
    CheckpointedInput input = new CheckpointedInput(gate);
    CheckpointedInput.Handler handler =
        new CheckpointedInput.Handler() {
          @Override
          public void onBatch(Batch batch) {
            Object[] records = batch.records();
            int n = batch.size();
            for (int i = 0; i < n; i++) {
              head.collect(records[i]);
            }
          }

          @Override
          public void onCheckpoint(long checkpointId) throws Exception {
            List<byte[]> committables = tail.checkpoint(checkpointId);
            listener.acknowledgeCheckpoint(
                index, checkpointId, new TaskSnapshot(null, committables, tail.takeRecordCount()));
          }

          @Override
          public void onEndOfInput() {}
        };
    while (!input.isEnded()) {
      if (mailbox.hasMail()) {
        mailbox.runAll();
      }
      if (isCancelled()) {
        return;
      }
      if (input.pollNext(handler, 0)) {
        tail.flushIfOlder(System.nanoTime());
      } else {
        tail.flush();
        input.pollNext(handler, WAIT_NANOS);
      }
    }
    tail.endInput();
    closeTail();
  }
}
