package io.sluice.engine.source;

/**
 * A parallel source of records. The engine creates one reader per source subtask.
 *
 * <p>Readers own their position (for Kafka, the next offset per partition) and return it from
 * {@link SourceReader#snapshotState}; the engine stores it in the checkpoint. On restore every
 * reader receives the states of <em>all</em> readers of the restored checkpoint and keeps the part
 * it now owns, so a source can be restored at a different parallelism.
 */
public interface Source<T> {
  SourceReader<T> createReader(SourceContext context);
}
