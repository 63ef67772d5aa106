package io.sluice.engine.function;

import io.sluice.engine.OutputTag;
import io.sluice.engine.source.Output;
import io.sluice.engine.time.TimeDomain;
import io.sluice.engine.time.TimerService;

/**
 * A function over a keyed stream with keyed state and timers. Records of one key always reach the
 * same instance, in order; state handles obtained in {@link #open} read and write the current
 * key's values. The engine creates one instance per subtask (from the factory given to {@code
 * process}).
 *
 * @param <K> the key type
 * @param <I> the input type
 * @param <O> the main output type
 */
public abstract class KeyedProcessFunction<K, I, O> {

  /** Get state handles here. */
  public void open(KeyedRuntimeContext context) throws Exception {}

  public abstract void processElement(I value, Context<K> context, Output<O> out)
      throws Exception;

  /** A timer registered for {@code context.currentKey()} fired at {@code timestamp}. */
  public void onTimer(long timestamp, OnTimerContext<K> context, Output<O> out) throws Exception {}

  public void close() throws Exception {}

  /** What a keyed function may do besides emitting to its main output. */
  public interface Context<K> {
    /** The key of the record (or timer) being processed. */
    K currentKey();

    TimerService timerService();

    /** Emits {@code value} to the side output named by {@code tag}. */
    <X> void output(OutputTag<X> tag, X value);
  }

  /** The context of a firing timer. */
  public interface OnTimerContext<K> extends Context<K> {
    TimeDomain timeDomain();
  }
}
