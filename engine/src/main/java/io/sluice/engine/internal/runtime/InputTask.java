package io.sluice.engine.internal.runtime;

import io.sluice.engine.internal.exchange.Batch;
import io.sluice.engine.internal.exchange.CheckpointedInput;
import io.sluice.engine.internal.exchange.ExchangeOutput;
import io.sluice.engine.internal.exchange.InputGate;
import io.sluice.engine.internal.graph.JobGraph;
import io.sluice.engine.internal.operators.OperatorRestore;
import io.sluice.engine.internal.operators.StreamOperator;
import java.util.List;
import java.util.Map;

/** A subtask fed by exchanges: reads its gate, with barrier alignment, into the chain's head. */
public final class InputTask extends Task {
  private static final long WAIT_NANOS = 50_000_000L;

  private final InputGate gate;

  public InputTask(
      int index,
      JobGraph.Stage stage,
      int subtask,
      List<OperatorRestore> restores,
      Map<ChainOutput, List<ExchangeOutput>> exchanges,
      TaskRuntime runtime,
      InputGate gate) {
    super(index, stage, subtask, restores, exchanges, runtime);
    this.gate = gate;
  }

  @Override
  protected Runnable wakeupHook() {
    return gate::wakeup;
  }

  @Override
  protected void invoke() throws Exception {
    final StreamOperator head = chain.head();
    CheckpointedInput input = new CheckpointedInput(gate);
    CheckpointedInput.Handler handler =
        new CheckpointedInput.Handler() {
          @Override
          public void onBatch(Batch batch) throws Exception {
            Object[] records = batch.records();
            int n = batch.size();
            for (int i = 0; i < n; i++) {
              head.processElement(records[i]);
            }
          }

          @Override
          public void onCheckpoint(long checkpointId) throws Exception {
            performCheckpoint(checkpointId);
          }

          @Override
          public void onEndOfData() throws Exception {
            chain.endInput();
          }
        };
    while (!input.isEnded()) {
      if (mailbox.hasMail()) {
        mailbox.runAll();
      }
      if (isCancelled()) {
        return;
      }
      if (input.pollNext(handler, 0)) {
        chain.flushIfOlder(System.nanoTime(), MAX_BATCH_DELAY_NANOS);
      } else {
        chain.flush();
        input.pollNext(handler, WAIT_NANOS);
      }
    }
  }
}
