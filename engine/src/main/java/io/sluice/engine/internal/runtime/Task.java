package io.sluice.engine.internal.runtime;

import io.sluice.engine.internal.graph.OperatorSpec;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One parallel instance of a stage, run by its own thread: input (source reader or input gate),
 * chained operators, tail (sink writer or exchange), and a {@link Mailbox} for control actions.
 */
public abstract class Task {
  private static final Logger LOG = LoggerFactory.getLogger(Task.class);

  protected final int index;
  protected final String name;
  protected final TaskListener listener;
  protected final Mailbox mailbox = new Mailbox();
  protected final List<OperatorSpec> operators;
  private final Callable<ChainTail> tailFactory;
  protected ChainTail tail;
  private boolean tailClosed;
  private volatile boolean cancelled;
  private Thread thread;

  protected Task(
      int index,
      String name,
      List<OperatorSpec> operators,
      Callable<ChainTail> tailFactory,
      TaskListener listener) {
    this.index = index;
    this.name = name;
    this.operators = operators;
    this.tailFactory = tailFactory;
    this.listener = listener;
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

  /** Interrupts the task; it closes its resources and ends without reporting. */
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

  protected boolean isCancelled() {
    return cancelled;
  }

  protected Runnable wakeupHook() {
    return null;
  }

  protected abstract void invoke() throws Exception;

  /** Closes the input side (source reader); called once, also after a failure. */
  protected void closeInput() throws Exception {}

  protected final void createTail() throws Exception {
    tail = tailFactory.call();
  }

  protected final void closeTail() throws Exception {
    if (tail != null && !tailClosed) {
      tailClosed = true;
      tail.close();
    }
  }

  private void run() {
    Throwable failure = null;
    try {
      invoke();
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
      listener.taskFailed(index, failure);
    } else {
      LOG.debug("task {} finished", name);
      listener.taskFinished(index);
    }
  }

  private void closeQuietly() {
    try {
      closeTail();
    } catch (Throwable t) {
      LOG.debug("closing the output of task {} failed", name, t);
    }
    try {
      closeInput();
    } catch (Throwable t) {
      LOG.debug("closing the input of task {} failed", name, t);
    }
  }
}
