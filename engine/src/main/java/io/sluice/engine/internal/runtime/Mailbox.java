package io.sluice.engine.internal.runtime;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Actions for a task (trigger checkpoint, notify complete, end) posted from other threads and run
 * by the task thread between batches, so they never race with record processing. Checking for
 * mail costs one volatile read.
 */
public final class Mailbox {
  private final ConcurrentLinkedQueue<TaskAction> queue = new ConcurrentLinkedQueue<>();
  private volatile boolean hasMail;
  private volatile Thread owner;
  private volatile Runnable wakeup;

  void bind(Thread owner, Runnable wakeup) {
    this.owner = owner;
    this.wakeup = wakeup;
  }

  public void put(TaskAction action) {
    queue.add(action);
    hasMail = true;
    Thread t = owner;
    if (t != null) {
      LockSupport.unpark(t);
    }
    Runnable w = wakeup;
    if (w != null) {
      w.run();
    }
  }

  public boolean hasMail() {
    return hasMail;
  }

  /** Runs all queued actions, in order, in the calling (task) thread. */
  public void runAll() throws Exception {
    hasMail = false;
    TaskAction action;
    while ((action = queue.poll()) != null) {
      action.run();
    }
  }

  /** Parks the task thread up to {@code nanos} unless mail is waiting. */
  public void idle(long nanos) {
    if (!hasMail) {
      LockSupport.parkNanos(this, nanos);
    }
  }
}
