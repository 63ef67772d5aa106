package io.sluice.engine.function;

import io.sluice.engine.OutputTag;
import io.sluice.engine.source.Output;

/**
 * A function over every record that may emit any number of records to its main output and to side
 * outputs. The engine creates one instance per subtask (from the factory given to {@code
 * process}), so fields need not be thread-safe.
 */
public abstract class ProcessFunction<I, O> {

  public void open(RuntimeContext context) throws Exception {}

  public abstract void processElement(I value, Context context, Output<O> out) throws Exception;

  public void close() throws Exception {}

  /** What a function may do besides emitting to its main output. */
  public interface Context {
    long currentProcessingTime();

    /** Emits {@code value} to the side output named by {@code tag}. */
    <X> void output(OutputTag<X> tag, X value);
  }
}
