package io.sluice.engine.internal.operators;

/** Holds the context; operators without state need nothing else. */
public abstract class AbstractOperator implements StreamOperator {
  protected OperatorContext context;
  protected OperatorOutput output;

  @Override
  public void setup(OperatorContext context) {
    this.context = context;
    this.output = context.output();
  }

  @Override
  public void initializeState(OperatorRestore restore) throws Exception {}

  @Override
  public void open() throws Exception {}

  @Override
  public void close() throws Exception {}
}
