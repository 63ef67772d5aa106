package io.sluice.engine.internal.operators;

import io.sluice.engine.OutputTag;
import io.sluice.engine.function.ProcessFunction;
import io.sluice.engine.function.RuntimeContext;
import java.util.function.Supplier;

/** Runs a {@link ProcessFunction}, one instance per subtask. */
public final class ProcessOperator extends AbstractOperator implements ProcessFunction.Context {
  private final ProcessFunction<Object, Object> function;

  @SuppressWarnings("unchecked")
  public ProcessOperator(Supplier<? extends ProcessFunction<?, ?>> factory) {
    this.function = (ProcessFunction<Object, Object>) factory.get();
  }

  @Override
  public void open() throws Exception {
    function.open(runtimeContext(context));
  }

  @Override
  public void processElement(Object record) throws Exception {
    function.processElement(record, this, output);
  }

  @Override
  public long currentProcessingTime() {
    return context.processingTime().currentProcessingTime();
  }

  @Override
  public <X> void output(OutputTag<X> tag, X value) {
    output.collect(tag, value);
  }

  @Override
  public void close() throws Exception {
    function.close();
  }

  static RuntimeContext runtimeContext(OperatorContext c) {
    return new RuntimeContext() {
      @Override
      public String pipelineId() {
        return c.pipelineId();
      }

      @Override
      public String operatorId() {
        return c.operatorId();
      }

      @Override
      public int subtaskIndex() {
        return c.subtaskIndex();
      }

      @Override
      public int parallelism() {
        return c.parallelism();
      }
    };
  }
}
