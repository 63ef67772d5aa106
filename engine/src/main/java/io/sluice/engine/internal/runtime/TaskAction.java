package io.sluice.engine.internal.runtime;

/** Something a task runs in its own thread, between batches (see {@link Mailbox}). */
@FunctionalInterface
public interface TaskAction {
  void run() throws Exception;
}
