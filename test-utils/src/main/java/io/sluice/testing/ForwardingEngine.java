package io.sluice.testing;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.ExpressionHandler;
import io.delta.kernel.engine.FileSystemClient;
import io.delta.kernel.engine.JsonHandler;
import io.delta.kernel.engine.MetricsReporter;
import io.delta.kernel.engine.ParquetHandler;
import java.util.List;

/** A Kernel engine that passes every call to a real one; tests override the handlers they script. */
public class ForwardingEngine implements Engine {
  protected final Engine real;

  public ForwardingEngine(Engine real) {
    this.real = real;
  }

  @Override
  public ExpressionHandler getExpressionHandler() {
    return real.getExpressionHandler();
  }

  @Override
  public JsonHandler getJsonHandler() {
    return real.getJsonHandler();
  }

  @Override
  public FileSystemClient getFileSystemClient() {
    return real.getFileSystemClient();
  }

  @Override
  public ParquetHandler getParquetHandler() {
    return real.getParquetHandler();
  }

  @Override
  public List<MetricsReporter> getMetricsReporters() {
    return real.getMetricsReporters();
  }
}
