package io.sluice.catalog;

import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.CloseableIterable;
import java.io.IOException;

/**
 * Produces the data actions of one commit once the transaction exists, typically with {@code
 * Transaction.getWriteContext} and {@code Transaction.generateAppendActions}, which both need the
 * transaction state. Kernel may iterate the returned iterable several times (once per rebase), so
 * return an in-memory iterable ({@code CloseableIterable.inMemoryIterable}).
 *
 * <p>An exception thrown here aborts the commit before anything is published: {@link
 * TableCommitClient#commit} throws a {@link TableCommitException} with it as the cause.
 */
@FunctionalInterface
public interface DataActionsProducer {
  CloseableIterable<Row> produce(Engine engine, Row transactionState) throws IOException;
}
