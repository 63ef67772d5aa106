package io.sluice.engine.internal.operators;

import io.sluice.engine.OutputTag;
import io.sluice.engine.function.KeySelector;
import io.sluice.engine.function.KeyedProcessFunction;
import io.sluice.engine.function.KeyedRuntimeContext;
import io.sluice.engine.internal.state.KeyGroupRange;
import io.sluice.engine.internal.state.KeyGroups;
import io.sluice.engine.internal.state.KeyedBackendParameters;
import io.sluice.engine.internal.state.KeyedStateBackend;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.internal.state.KeyedStateHandleCodecs;
import io.sluice.engine.internal.state.SnapshotTarget;
import io.sluice.engine.internal.time.InternalTimerService;
import io.sluice.engine.state.AggregatingState;
import io.sluice.engine.state.AggregatingStateDescriptor;
import io.sluice.engine.state.ListState;
import io.sluice.engine.state.ListStateDescriptor;
import io.sluice.engine.state.MapState;
import io.sluice.engine.state.MapStateDescriptor;
import io.sluice.engine.state.ReducingState;
import io.sluice.engine.state.ReducingStateDescriptor;
import io.sluice.engine.state.Serializer;
import io.sluice.engine.state.ValueState;
import io.sluice.engine.state.ValueStateDescriptor;
import io.sluice.engine.time.TimeDomain;
import io.sluice.engine.time.TimerService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Runs a {@link KeyedProcessFunction} over a key-group partitioned input: keyed state in the
 * job's state backend, timers in an {@link InternalTimerService}, both restored for the key
 * groups this subtask owns, whatever the parallelism they were written at.
 */
public final class KeyedProcessOperator<K> extends AbstractOperator
    implements KeyedProcessFunction.OnTimerContext<K>, KeyedRuntimeContext {
  private final KeySelector<Object, K> keySelector;
  private final Serializer<K> keySerializer;
  private final KeyedProcessFunction<K, Object, Object> function;
  private KeyGroupRange keyGroups;
  private KeyedStateBackend<K> backend;
  private InternalTimerService<K> timers;
  private TimeDomain firingDomain;

  @SuppressWarnings("unchecked")
  public KeyedProcessOperator(
      KeySelector<?, K> keySelector,
      Serializer<K> keySerializer,
      Supplier<? extends KeyedProcessFunction<K, ?, ?>> factory) {
    this.keySelector = (KeySelector<Object, K>) keySelector;
    this.keySerializer = keySerializer;
    this.function = (KeyedProcessFunction<K, Object, Object>) factory.get();
  }

  @Override
  public void initializeState(OperatorRestore restore) throws Exception {
    keyGroups =
        KeyGroups.rangeOf(
            context.maxParallelism(), context.parallelism(), context.subtaskIndex());
    backend =
        context
            .stateBackend()
            .createKeyedStateBackend(
                new KeyedBackendParameters<>(
                    context.pipelineId(),
                    context.operatorId(),
                    context.subtaskIndex(),
                    context.parallelism(),
                    context.maxParallelism(),
                    keyGroups,
                    keySerializer,
                    context.processingTime()::currentProcessingTime));
    timers =
        new InternalTimerService<>(backend, keySerializer, context.processingTime(), this::fire);
    restore(restore);
  }

  private void restore(OperatorRestore restore) throws Exception {
    List<KeyedStateHandle> natives = new ArrayList<>();
    for (KeyedStateHandle handle : restore.keyedState()) {
      if (backend.restoresNatively(handle)) {
        natives.add(handle);
      }
    }
    if (!natives.isEmpty()) {
      backend.restoreNative(natives, restore.stateRoot());
    }
    for (KeyedStateHandle handle : restore.keyedState()) {
      if (!backend.restoresNatively(handle)) {
        KeyedStateHandleCodecs.forKind(handle.kind())
            .readEntries(
                handle,
                restore.stateRoot(),
                keyGroups,
                (keyGroup, state, key, payload) -> {
                  if (state.kind().isTimers()) {
                    timers.restoreEntry(keyGroup, state, key, payload);
                  } else {
                    backend.restoreEntry(keyGroup, state, key, payload);
                  }
                });
      }
    }
  }

  @Override
  public void open() throws Exception {
    function.open(this);
    timers.start();
  }

  @Override
  public void processElement(Object record) throws Exception {
    backend.setCurrentKey(keySelector.key(record));
    function.processElement(record, this, output);
  }

  private void fire(long time, K key, TimeDomain domain) throws Exception {
    firingDomain = domain;
    try {
      function.onTimer(time, this, output);
    } finally {
      firingDomain = null;
    }
  }

  /** Raises the watermark, firing the event-time timers it passes. */
  public void advanceWatermark(long watermark) throws Exception {
    timers.advanceWatermark(watermark);
  }

  /** End of input: the watermark reaches its maximum, firing every event-time timer. */
  @Override
  public void endInput() throws Exception {
    advanceWatermark(Long.MAX_VALUE);
  }

  @Override
  public OperatorSnapshot snapshotState(SnapshotTarget target) throws Exception {
    List<Callable<KeyedStateHandle>> parts = new ArrayList<>(2);
    Callable<KeyedStateHandle> state = backend.snapshot(target);
    if (state != null) {
      parts.add(state);
    }
    Callable<KeyedStateHandle> timerState =
        timers.snapshot(
            target, keyGroups, context.operatorId() + "-" + context.subtaskIndex() + "-timers");
    if (timerState != null) {
      parts.add(timerState);
    }
    return new OperatorSnapshot(null, parts);
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    backend.notifyCheckpointComplete(checkpointId);
  }

  @Override
  public void close() throws Exception {
    try {
      if (timers != null) {
        timers.close();
      }
      function.close();
    } finally {
      if (backend != null) {
        backend.close();
      }
    }
  }

  // ---- KeyedProcessFunction contexts ----

  @Override
  public K currentKey() {
    return backend.currentKey();
  }

  @Override
  public TimerService timerService() {
    return timers;
  }

  @Override
  public <X> void output(OutputTag<X> tag, X value) {
    output.collect(tag, value);
  }

  @Override
  public TimeDomain timeDomain() {
    return firingDomain;
  }

  // ---- KeyedRuntimeContext ----

  @Override
  public String pipelineId() {
    return context.pipelineId();
  }

  @Override
  public String operatorId() {
    return context.operatorId();
  }

  @Override
  public int subtaskIndex() {
    return context.subtaskIndex();
  }

  @Override
  public int parallelism() {
    return context.parallelism();
  }

  @Override
  public int maxParallelism() {
    return context.maxParallelism();
  }

  @Override
  public <T> ValueState<T> state(ValueStateDescriptor<T> descriptor) throws Exception {
    return backend.state(descriptor);
  }

  @Override
  public <T> ListState<T> listState(ListStateDescriptor<T> descriptor) throws Exception {
    return backend.state(descriptor);
  }

  @Override
  public <UK, UV> MapState<UK, UV> mapState(MapStateDescriptor<UK, UV> descriptor)
      throws Exception {
    return backend.state(descriptor);
  }

  @Override
  public <T> ReducingState<T> reducingState(ReducingStateDescriptor<T> descriptor)
      throws Exception {
    return backend.state(descriptor);
  }

  @Override
  public <IN, ACC, OUT> AggregatingState<IN, OUT> aggregatingState(
      AggregatingStateDescriptor<IN, ACC, OUT> descriptor) throws Exception {
    return backend.state(descriptor);
  }
}
