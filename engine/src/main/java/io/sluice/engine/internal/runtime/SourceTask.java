package io.sluice.engine.internal.runtime;

import io.sluice.engine.internal.exchange.ExchangeOutput;
import io.sluice.engine.internal.graph.JobGraph;
import io.sluice.engine.internal.operators.OperatorRestore;
import io.sluice.engine.internal.operators.SourceOperator;
import io.sluice.engine.source.InputStatus;
import java.util.List;
import java.util.Map;

/**
 * A source subtask: polls its reader into the chain. Checkpoint triggers arrive through the
 * mailbox, so a snapshot is taken between two polls and covers exactly the records emitted before
 * the barrier. After END_OF_INPUT the chain ends its input (operators may flush) and the task only
 * serves its mailbox until the coordinator, after the final checkpoint, tells it to end.
 */
public final class SourceTask extends Task {
  private static final long IDLE_NANOS = 1_000_000L;
  private static final long FINISHED_IDLE_NANOS = 50_000_000L;

  private boolean endRequested;
  /**
   * False on a fresh start until the first checkpoint, which records the positions the reader
   * resolved when it opened (e.g. "latest"), is committed: nothing is read before they are durable.
   */
  private boolean startPinned;
  /** Set after the barrier of a stop: nothing more is read. */
  private boolean suspended;
  /** Read nothing while paused; barriers still pass. */
  private boolean paused;

  public SourceTask(
      int index,
      JobGraph.Stage stage,
      int subtask,
      List<OperatorRestore> restores,
      Map<ChainOutput, List<ExchangeOutput>> exchanges,
      TaskRuntime runtime) {
    super(index, stage, subtask, restores, exchanges, runtime);
  }

  /**
   * Posts: take checkpoint {@code id} and pass it down the chain.
   *
   * @param stopAfter read nothing more afterwards (the last checkpoint of a stop)
   */
  public void triggerCheckpoint(long id, boolean stopAfter) {
    mailbox.put(
        () -> {
          performCheckpoint(id);
          suspended |= stopAfter;
        });
  }

  /** Posts: read nothing while {@code paused}. */
  public void pause(boolean paused) {
    mailbox.put(() -> this.paused = paused);
  }

  /** Posts: end the task (after the final checkpoint was committed). */
  public void end() {
    mailbox.put(() -> endRequested = true);
  }

  @Override
  protected void onCheckpointCommitted(long id) {
    startPinned = true;
  }

  @Override
  protected void invoke() throws Exception {
    SourceOperator source = (SourceOperator) chain.head();
    startPinned = isRestored();
    boolean inputEnded = false;
    while (true) {
      if (mailbox.hasMail()) {
        mailbox.runAll();
      }
      if (endRequested || isCancelled()) {
        return;
      }
      if (!startPinned || suspended || paused) {
        mailbox.idle(IDLE_NANOS);
      } else if (!inputEnded) {
        InputStatus status = source.pollNext();
        if (status == InputStatus.MORE_AVAILABLE) {
          chain.flushIfOlder(System.nanoTime(), MAX_BATCH_DELAY_NANOS);
        } else if (status == InputStatus.NOTHING_AVAILABLE) {
          chain.flush();
          mailbox.idle(IDLE_NANOS);
        } else {
          inputEnded = true;
          chain.endInput();
          runtime.listener().sourceFinished(index);
        }
      } else {
        mailbox.idle(FINISHED_IDLE_NANOS);
      }
    }
  }
}
