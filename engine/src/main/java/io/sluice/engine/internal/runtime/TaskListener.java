package io.sluice.engine.internal.runtime;

/** How tasks report to their execution attempt. Called from task (and snapshot) threads. */
public interface TaskListener {
  void acknowledgeCheckpoint(int taskIndex, long checkpointId, TaskSnapshot snapshot);

  /** Taking or writing the task's part of a checkpoint failed. */
  void declineCheckpoint(int taskIndex, long checkpointId, Throwable cause);

  /** The task's operators heard that checkpoint {@code checkpointId} is complete. */
  void checkpointCompleteProcessed(int taskIndex, long checkpointId);

  /** A source reader returned END_OF_INPUT and the chain ended its input. */
  void sourceFinished(int taskIndex);

  void taskFinished(int taskIndex);

  void taskFailed(int taskIndex, Throwable cause);
}
