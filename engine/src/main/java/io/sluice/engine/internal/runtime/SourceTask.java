package io.sluice.engine.internal.runtime;

import io.sluice.engine.internal.graph.OperatorSpec;
import io.sluice.engine.source.InputStatus;
import io.sluice.engine.source.Output;
import io.sluice.engine.source.Source;
import io.sluice.engine.source.SourceContext;
import io.sluice.engine.source.SourceReader;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A source subtask: polls its reader into the chain. Checkpoint triggers arrive through the
 * mailbox, so a snapshot is taken between two {@code pollNext} calls and covers exactly the
 * records emitted before the barrier. After END_OF_INPUT it only serves its mailbox until the
 * coordinator, after the final checkpoint, tells it to end.
 */
public final class SourceTask extends Task {
  private static final long IDLE_NANOS = 1_000_000L;
  private static final long FINISHED_IDLE_NANOS = 50_000_000L;

  private final Source<Object> source;
  private final SourceContext context;
  private final List<byte[]> restoredStates;
  private SourceReader<Object> reader;
  private boolean readerClosed;
  private boolean endRequested;
  /**
   * False on a fresh start until the first checkpoint, which records the positions the reader
   * resolved when it opened (e.g. "latest"), is complete: nothing is read before they are durable.
   */
  private boolean startPinned;

  public SourceTask(
      int index,
      String name,
      Source<Object> source,
      SourceContext context,
      List<byte[]> restoredStates,
      List<OperatorSpec> operators,
      Callable<ChainTail> tailFactory,
      TaskListener listener) {
    super(index, name, operators, tailFactory, listener);
    this.source = source;
    this.context = context;
    this.restoredStates = restoredStates;
  }

  /** Posts: snapshot the reader, pass checkpoint {@code id} down the chain, acknowledge. */
  public void triggerCheckpoint(long id) {
    mailbox.put(
        () -> {
          byte[] state = reader.snapshotState(id);
          List<byte[]> committables = tail.checkpoint(id);
          listener.acknowledgeCheckpoint(
              index,
              id,
              new TaskSnapshot(
                  state == null ? new byte[0] : state, committables, tail.takeRecordCount()));
        });
  }

  public void notifyCheckpointComplete(long id) {
    mailbox.put(
        () -> {
          startPinned = true;
          reader.notifyCheckpointComplete(id);
        });
  }

  /** Posts: end of input downstream, close, finish (after the final checkpoint). */
  public void end() {
    mailbox.put(() -> endRequested = true);
  }

  @Override
  protected void invoke() throws Exception {
    reader = source.createReader(context);
    reader.open(restoredStates);
    startPinned = !restoredStates.isEmpty();
    createTail();
    final ChainTail tail = this.tail;
    final Output<Object> head = Chains.build(operators, tail);
    boolean inputEnded = false;
    while (true) {
      if (mailbox.hasMail()) {
        mailbox.runAll();
      }
      if (endRequested || isCancelled()) {
        break;
      }
      if (!startPinned) {
        mailbox.idle(IDLE_NANOS);
      } else if (!inputEnded) {
        InputStatus status = reader.pollNext(head);
        if (status == InputStatus.MORE_AVAILABLE) {
          tail.flushIfOlder(System.nanoTime());
        } else if (status == InputStatus.NOTHING_AVAILABLE) {
          tail.flush();
          mailbox.idle(IDLE_NANOS);
        } else {
          inputEnded = true;
          tail.flush();
          listener.sourceFinished(index);
        }
      } else {
        mailbox.idle(FINISHED_IDLE_NANOS);
      }
    }
    if (isCancelled()) {
      return;
    }
    tail.endInput();
    closeTail();
    closeInput();
  }

  @Override
  protected void closeInput() throws Exception {
    if (reader != null && !readerClosed) {
      readerClosed = true;
      reader.close();
    }
  }
}
