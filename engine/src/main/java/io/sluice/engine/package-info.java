/**
 * The Sluice stream engine's API: {@link io.sluice.engine.StreamEnvironment} declares a job of
 * {@link io.sluice.engine.DataStream}s from {@link io.sluice.engine.source.Source}s to exactly-once
 * {@link io.sluice.engine.sink.TwoPhaseCommitSink}s and runs it with periodic checkpoints ({@link
 * io.sluice.engine.JobConfig}, whose options and defaults are the {@link
 * io.sluice.engine.JobOptions}); {@link io.sluice.engine.JobHandle} watches or stops a running job.
 *
 * <p>Exactly-once: a checkpoint is complete once its metadata file exists in the checkpoint
 * directory; only then the sinks' committers publish it. A job (re)starts from the latest complete
 * checkpoint: readers get all source states of it, committers re-commit it (idempotently), and
 * everything after it is replayed.
 */
package io.sluice.engine;
