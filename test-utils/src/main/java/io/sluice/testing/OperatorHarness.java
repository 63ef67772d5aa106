package io.sluice.testing;

import io.sluice.engine.OutputTag;
import io.sluice.engine.function.KeySelector;
import io.sluice.engine.function.KeyedProcessFunction;
import io.sluice.engine.function.ProcessFunction;
import io.sluice.engine.internal.checkpoint.CheckpointStorage;
import io.sluice.engine.internal.graph.OperatorFactory;
import io.sluice.engine.internal.operators.KeyedProcessOperator;
import io.sluice.engine.internal.operators.OperatorContext;
import io.sluice.engine.internal.operators.OperatorOutput;
import io.sluice.engine.internal.operators.OperatorRestore;
import io.sluice.engine.internal.operators.OperatorSnapshot;
import io.sluice.engine.internal.operators.ProcessOperator;
import io.sluice.engine.internal.operators.StreamOperator;
import io.sluice.engine.internal.state.KeyGroupRange;
import io.sluice.engine.internal.state.KeyGroups;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.internal.time.ManualProcessingTimeService;
import io.sluice.engine.state.Serializer;
import io.sluice.engine.state.StateBackend;
import io.sluice.engine.state.StateBackends;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Drives one operator with no threads, the way a task would: feed records, move processing time
 * and the watermark (firing timers), take snapshots, restore them into a new instance, also at
 * another parallelism, and read what it emitted to its main and side outputs.
 *
 * <pre>{@code
 * OperatorHarness<String> h = OperatorHarness.keyed(e -> e.id(), Serializers.string(), Dedupe::new).open();
 * h.processElement(event);
 * OperatorHarness.Snapshot s = h.snapshot(1);
 * OperatorHarness<String> restored = OperatorHarness.keyed(...).parallelism(2, 1).restore(List.of(s));
 * }</pre>
 *
 * Snapshots are written into a state directory; by default one temporary directory shared by all
 * harnesses of the JVM, so snapshots of several subtasks can be restored together.
 */
public final class OperatorHarness<OUT> implements AutoCloseable {
  private static Path sharedStateDirectory;

  private final OperatorFactory factory;
  private int parallelism = 1;
  private int subtask;
  private int maxParallelism = KeyGroups.DEFAULT_MAX_PARALLELISM;
  private StateBackend stateBackend = StateBackends.heap();
  private Path stateDirectory;
  private final ManualProcessingTimeService time = new ManualProcessingTimeService(0);
  private final List<OUT> output = new ArrayList<>();
  private final Map<OutputTag<?>, List<Object>> sideOutputs = new LinkedHashMap<>();
  private StreamOperator operator;

  private OperatorHarness(OperatorFactory factory) {
    this.factory = factory;
  }

  /** A harness around a keyed process function, fed as if through {@code keyBy(key)}. */
  public static <K, I, O> OperatorHarness<O> keyed(
      KeySelector<I, K> key,
      Serializer<K> keySerializer,
      Supplier<? extends KeyedProcessFunction<K, I, O>> function) {
    return new OperatorHarness<>(() -> new KeyedProcessOperator<>(key, keySerializer, function));
  }

  /** A harness around a (non-keyed) process function. */
  public static <I, O> OperatorHarness<O> process(Supplier<? extends ProcessFunction<I, O>> function) {
    return new OperatorHarness<>(() -> new ProcessOperator(function));
  }

  /** A harness around any engine operator. */
  public static <O> OperatorHarness<O> operator(OperatorFactory factory) {
    return new OperatorHarness<>(factory);
  }

  /** Runs as subtask {@code subtask} of {@code parallelism} (default: 0 of 1). */
  public OperatorHarness<OUT> parallelism(int parallelism, int subtask) {
    if (subtask < 0 || subtask >= parallelism) {
      throw new IllegalArgumentException("subtask " + subtask + " of " + parallelism);
    }
    this.parallelism = parallelism;
    this.subtask = subtask;
    return this;
  }

  public OperatorHarness<OUT> maxParallelism(int keyGroups) {
    this.maxParallelism = keyGroups;
    return this;
  }

  public OperatorHarness<OUT> stateBackend(StateBackend backend) {
    this.stateBackend = backend;
    return this;
  }

  /** Where snapshots are written (default: a temporary directory shared by the JVM). */
  public OperatorHarness<OUT> stateDirectory(Path directory) {
    this.stateDirectory = directory;
    return this;
  }

  /** Starts processing time at {@code millis} (default 0). */
  public OperatorHarness<OUT> processingTime(long millis) throws Exception {
    time.advanceTo(millis);
    return this;
  }

  /** Opens the operator with no state. */
  public OperatorHarness<OUT> open() throws Exception {
    return start(OperatorRestore.fresh());
  }

  /**
   * Opens the operator from snapshots of all subtasks of an earlier run (at any parallelism): it
   * gets the keyed state of the key groups it owns now. They must be in one state directory.
   */
  public OperatorHarness<OUT> restore(List<Snapshot> snapshots) throws Exception {
    if (snapshots.isEmpty()) {
      throw new IllegalArgumentException("no snapshot to restore");
    }
    Path root = snapshots.get(0).root;
    long checkpointId = snapshots.get(0).checkpointId;
    KeyGroupRange range = keyGroups();
    List<KeyedStateHandle> handles = new ArrayList<>();
    List<byte[]> operatorStates = new ArrayList<>();
    for (Snapshot s : snapshots) {
      if (!s.root.equals(root) || s.checkpointId != checkpointId) {
        throw new IllegalArgumentException(
            "restore snapshots of one checkpoint taken in one state directory");
      }
      if (s.operatorState != null) {
        operatorStates.add(s.operatorState);
      }
      for (KeyedStateHandle h : s.keyedState) {
        if (!h.keyGroupRange().intersect(range).isEmpty()) {
          handles.add(h);
        }
      }
    }
    return start(new OperatorRestore(checkpointId, operatorStates, handles, root));
  }

  private OperatorHarness<OUT> start(OperatorRestore restore) throws Exception {
    if (operator != null) {
      throw new IllegalStateException("the harness is already open");
    }
    operator = factory.create();
    operator.setup(
        new OperatorContext(
            "harness",
            "operator",
            subtask,
            parallelism,
            maxParallelism,
            collector(),
            time,
            stateBackend));
    operator.initializeState(restore);
    operator.open();
    return this;
  }

  /** The key groups this subtask owns. */
  public KeyGroupRange keyGroups() {
    return KeyGroups.rangeOf(maxParallelism, parallelism, subtask);
  }

  public void processElement(Object record) throws Exception {
    requireOpen().processElement(record);
  }

  /** Moves processing time to {@code millis}, firing the timers that became due. */
  public void setProcessingTime(long millis) throws Exception {
    requireOpen();
    time.advanceTo(millis);
  }

  public long processingTime() {
    return time.currentProcessingTime();
  }

  /** Raises the watermark of a keyed operator, firing the event-time timers it passes. */
  public void processWatermark(long watermark) throws Exception {
    if (!(requireOpen() instanceof KeyedProcessOperator<?> keyed)) {
      throw new IllegalStateException("only keyed operators have event-time timers");
    }
    keyed.advanceWatermark(watermark);
  }

  /** The input ended (a bounded job): the operator emits what it still holds. */
  public void endInput() throws Exception {
    requireOpen().endInput();
  }

  /** Takes checkpoint {@code checkpointId}: the synchronous part, then writes its state. */
  public Snapshot snapshot(long checkpointId) throws Exception {
    StreamOperator op = requireOpen();
    op.prepareSnapshotPreBarrier(checkpointId);
    Path root = stateDirectory();
    OperatorSnapshot snapshot = op.snapshotState(new CheckpointStorage(root).target(checkpointId));
    List<KeyedStateHandle> keyed = new ArrayList<>();
    for (Callable<KeyedStateHandle> part : snapshot.keyedState()) {
      KeyedStateHandle handle = part.call();
      if (handle != null) {
        keyed.add(handle);
      }
    }
    return new Snapshot(checkpointId, root, snapshot.operatorState(), keyed);
  }

  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    requireOpen().notifyCheckpointComplete(checkpointId);
  }

  /** What the operator emitted to its main output so far. */
  public List<OUT> output() {
    return List.copyOf(output);
  }

  /** The main output so far, and clears it. */
  public List<OUT> takeOutput() {
    List<OUT> out = List.copyOf(output);
    output.clear();
    return out;
  }

  /** What the operator emitted to the side output {@code tag} so far. */
  @SuppressWarnings("unchecked")
  public <X> List<X> sideOutput(OutputTag<X> tag) {
    return List.copyOf((List<X>) sideOutputs.getOrDefault(tag, List.of()));
  }

  @Override
  public void close() throws Exception {
    if (operator != null) {
      StreamOperator op = operator;
      operator = null;
      op.close();
    }
  }

  private StreamOperator requireOpen() {
    if (operator == null) {
      throw new IllegalStateException("open() or restore() the harness first");
    }
    return operator;
  }

  private OperatorOutput collector() {
    return new OperatorOutput() {
      @Override
      @SuppressWarnings("unchecked")
      public void collect(Object record) {
        output.add((OUT) record);
      }

      @Override
      public <X> void collect(OutputTag<X> tag, X record) {
        sideOutputs.computeIfAbsent(tag, t -> new ArrayList<>()).add(record);
      }
    };
  }

  private Path stateDirectory() throws IOException {
    if (stateDirectory != null) {
      return stateDirectory;
    }
    return shared();
  }

  private static synchronized Path shared() {
    if (sharedStateDirectory == null) {
      try {
        sharedStateDirectory = Files.createTempDirectory("sluice-harness-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      sharedStateDirectory.toFile().deleteOnExit();
    }
    return sharedStateDirectory;
  }

  /** One subtask's state at a checkpoint, as the task would acknowledge it. */
  public static final class Snapshot {
    private final long checkpointId;
    private final Path root;
    private final byte[] operatorState;
    private final List<KeyedStateHandle> keyedState;

    private Snapshot(
        long checkpointId, Path root, byte[] operatorState, List<KeyedStateHandle> keyedState) {
      this.checkpointId = checkpointId;
      this.root = root;
      this.operatorState = operatorState;
      this.keyedState = List.copyOf(keyedState);
    }

    public long checkpointId() {
      return checkpointId;
    }

    /** The keyed state handles (state and timers), each covering the subtask's key groups. */
    public List<KeyedStateHandle> keyedState() {
      return keyedState;
    }

    /** Bytes of the state files this snapshot refers to. */
    public long sizeBytes() throws IOException {
      long size = 0;
      for (KeyedStateHandle h : keyedState) {
        for (String f : h.exclusiveFiles()) {
          size += Files.size(root.resolve(f));
        }
        for (String f : h.sharedFiles()) {
          size += Files.size(root.resolve(f));
        }
      }
      return size;
    }
  }
}
