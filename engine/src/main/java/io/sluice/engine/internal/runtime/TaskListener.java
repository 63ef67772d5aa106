package io.sluice.engine.internal.runtime;

/** How tasks report to the checkpoint coordinator. Called from task threads. */
public interface TaskListener {
  void acknowledgeCheckpoint(int taskIndex, long checkpointId, TaskSnapshot snapshot);

  /** A source reader returned END_OF_INPUT. */
  void sourceFinished(int taskIndex);

  void taskFinished(int taskIndex);

  void taskFailed(int taskIndex, Throwable cause);
}
