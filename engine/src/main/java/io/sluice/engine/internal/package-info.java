/**
 * The engine's machinery; not an API.
 *
 * <ul>
 *   <li>{@code graph}: the declared job as stages. A stage is an input (a source, or an exchange
 *       from the previous stage), chained stateless operators, and a terminal (a sink writer or a
 *       round-robin exchange into the next stage).
 *   <li>{@code runtime}: one thread per subtask ({@code SourceTask}, {@code InputTask}); the
 *       operators of a stage are nested {@code Output}s called directly, no hand-over. Control
 *       actions (trigger checkpoint, notify complete, end) go through the task's {@code Mailbox}
 *       and run in the task thread between two {@code pollNext} calls or two batches.
 *   <li>{@code exchange}: per consumer subtask an {@code InputGate} with one bounded FIFO per
 *       producer, carrying batches of records, barriers and end-of-input events. A full channel
 *       blocks its producer (backpressure). {@code BarrierAligner} blocks a channel after barrier N
 *       until every channel delivered N or ended.
 *   <li>{@code checkpoint}: {@code chk-<id>/_metadata} files, written to a temporary name, fsynced
 *       and atomically renamed.
 *   <li>{@code JobRunner} runs {@code ExecutionAttempt}s (the first run, then restarts); each
 *       restores from the latest completed checkpoint, re-commits it, and runs a {@code
 *       CheckpointCoordinator} in the coordinator thread: trigger, collect acknowledgements, write
 *       metadata, retain, commit, notify; one checkpoint at a time.
 * </ul>
 */
package io.sluice.engine.internal;
