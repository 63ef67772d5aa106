package io.sluice.engine.internal.runtime;

import io.sluice.engine.internal.checkpoint.OperatorSubtaskState;
import io.sluice.engine.internal.exchange.Barrier;
import io.sluice.engine.internal.exchange.EndOfPartition;
import io.sluice.engine.internal.exchange.ExchangeOutput;
import io.sluice.engine.internal.graph.JobGraph;
import io.sluice.engine.internal.operators.OperatorRestore;
import io.sluice.engine.internal.operators.OperatorSnapshot;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.internal.time.SystemProcessingTimeService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One parallel instance of a stage, run by its own thread: an input (source reader or input gate)
 * feeding an {@link OperatorChain}, and a {@link Mailbox} through which everything else reaches
 * the thread (checkpoints, notifications, timers, end), so nothing races with record processing.
 *
 * <p>A checkpoint in the task: operators flush what precedes the barrier, the barrier goes
 * downstream, each operator takes its state synchronously, and the keyed state is written on the
 * snapshot thread while the task goes on; the task acknowledges once everything is written.
 */
public abstract class Task {
  private static final Logger LOG = LoggerFactory.getLogger(Task.class);
  /** A partial batch leaves after this long even if the input keeps trickling. */
  static final long MAX_BATCH_DELAY_NANOS = 20_000_000L;

  protected final int index;
  protected final String name;
  protected final TaskRuntime runtime;
  protected final Mailbox mailbox = new Mailbox();
  private final JobGraph.Stage stage;
  private final int subtask;
  private final List<OperatorRestore> restores;
  private final Map<ChainOutput, List<ExchangeOutput>> exchanges;
  protected OperatorChain chain;
  private volatile boolean cancelled;
  private Thread thread;

  protected Task(
      int index,
      JobGraph.Stage stage,
      int subtask,
      List<OperatorRestore> restores,
      Map<ChainOutput, List<ExchangeOutput>> exchanges,
      TaskRuntime runtime) {
    this.index = index;
    this.name = stage.name() + "-" + subtask;
    this.stage = stage;
    this.subtask = subtask;
    this.restores = restores;
    this.exchanges = exchanges;
    this.runtime = runtime;
  }

  public int index() {
    return index;
  }

  public String name() {
    return name;
  }

  /** Starts the task thread. */
  public void start(String threadName) {
    Thread t = new Thread(this::run, threadName);
    t.setDaemon(true);
    thread = t;
    mailbox.bind(t, wakeupHook());
    t.start();
  }

  /** Interrupts the task; it closes its operators and ends without reporting. */
  public void cancel() {
    cancelled = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  /** Waits for the task thread; true if it ended. */
  public boolean join(long millis) throws InterruptedException {
    Thread t = thread;
    if (t == null) {
      return true;
    }
    t.join(millis);
    return !t.isAlive();
  }

  /** Posts: the operators hear that checkpoint {@code id} is complete (durable). */
  public void notifyCheckpointComplete(long id) {
    mailbox.put(
        () -> {
          chain.notifyCheckpointComplete(id);
          runtime.listener().checkpointCompleteProcessed(index, id);
        });
  }

  /** Posts: the operators hear that every sink committed checkpoint {@code id}. */
  public void notifyCheckpointCommitted(long id) {
    mailbox.put(
        () -> {
          chain.notifyCheckpointCommitted(id);
          onCheckpointCommitted(id);
        });
  }

  protected void onCheckpointCommitted(long id) {}

  protected boolean isCancelled() {
    return cancelled;
  }

  protected Runnable wakeupHook() {
    return null;
  }

  /** Runs the task's loop until its input ended (and it may finish) or it is cancelled. */
  protected abstract void invoke() throws Exception;

  protected final boolean isRestored() {
    return restores.get(0).isRestored();
  }

  /** This task's part of checkpoint {@code id}; see the class comment. */
  protected final void performCheckpoint(long id) throws Exception {
    chain.prepareSnapshotPreBarrier(id);
    chain.broadcast(new Barrier(id));
    Map<String, OperatorSnapshot> snapshots = chain.snapshotState(runtime.storage().target(id));
    boolean async = snapshots.values().stream().anyMatch(s -> !s.keyedState().isEmpty());
    if (!async) {
      runtime.listener().acknowledgeCheckpoint(index, id, writeKeyedState(snapshots));
      return;
    }
    runtime
        .snapshotWriter()
        .execute(
            () -> {
              TaskSnapshot snapshot;
              try {
                snapshot = writeKeyedState(snapshots);
              } catch (Throwable t) {
                LOG.warn("task {} could not write its state for checkpoint {}", name, id, t);
                runtime.listener().declineCheckpoint(index, id, t);
                return;
              }
              runtime.listener().acknowledgeCheckpoint(index, id, snapshot);
            });
  }

  private static TaskSnapshot writeKeyedState(Map<String, OperatorSnapshot> snapshots)
      throws Exception {
    Map<String, OperatorSubtaskState> states = new LinkedHashMap<>();
    for (Map.Entry<String, OperatorSnapshot> e : snapshots.entrySet()) {
      List<KeyedStateHandle> handles = new ArrayList<>();
      for (Callable<KeyedStateHandle> part : e.getValue().keyedState()) {
        KeyedStateHandle handle = part.call();
        if (handle != null) {
          handles.add(handle);
        }
      }
      states.put(e.getKey(), new OperatorSubtaskState(e.getValue().operatorState(), handles));
    }
    return new TaskSnapshot(states);
  }

  private void run() {
    Throwable failure = null;
    try {
      chain =
          OperatorChain.create(
              stage,
              subtask,
              exchanges,
              new SystemProcessingTimeService(runtime.timerThread(), r -> mailbox.put(r::run)),
              runtime);
      chain.initializeState(restores);
      chain.open();
      invoke();
      if (!cancelled) {
        chain.broadcast(EndOfPartition.INSTANCE);
        OperatorChain closing = chain;
        chain = null;
        closing.close();
      }
    } catch (Throwable t) {
      failure = t;
    } finally {
      if (failure != null || cancelled) {
        // Clear the interrupt so that closing (often I/O) is not aborted by it.
        Thread.interrupted();
        closeQuietly();
      }
    }
    if (cancelled) {
      LOG.debug("task {} cancelled", name);
      return;
    }
    if (failure != null) {
      LOG.warn("task {} failed", name, failure);
      runtime.listener().taskFailed(index, failure);
    } else {
      LOG.debug("task {} finished", name);
      runtime.listener().taskFinished(index);
    }
  }

  private void closeQuietly() {
    if (chain != null) {
      try {
        chain.close();
      } catch (Throwable t) {
        LOG.debug("closing the operators of task {} failed", name, t);
      }
      chain = null;
    }
  }
}
