package io.sluice.engine.sink;

/**
 * An exactly-once sink: parallel writers stage data per checkpoint ({@link SinkWriter}), and one
 * committer publishes a checkpoint's staged data once the checkpoint is complete ({@link
 * GlobalCommitter}). Because the committables live in the checkpoint, a restore re-commits them:
 * nothing staged is lost and nothing is published twice.
 */
public interface TwoPhaseCommitSink<T, C> {
  SinkWriter<T, C> createWriter(SinkContext context) throws Exception;

  GlobalCommitter<C> createCommitter(CommitterContext context) throws Exception;

  CommittableSerializer<C> committableSerializer();
}
