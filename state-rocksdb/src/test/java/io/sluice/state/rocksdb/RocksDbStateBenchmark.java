package io.sluice.state.rocksdb;

import io.sluice.engine.internal.checkpoint.CheckpointMetadata;
import io.sluice.engine.internal.checkpoint.CheckpointStorage;
import io.sluice.engine.internal.checkpoint.OperatorState;
import io.sluice.engine.internal.checkpoint.OperatorSubtaskState;
import io.sluice.engine.internal.graph.StreamNode;
import io.sluice.engine.internal.state.KeyGroups;
import io.sluice.engine.internal.state.KeyedBackendParameters;
import io.sluice.engine.internal.state.KeyedStateBackend;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.state.Serializers;
import io.sluice.engine.state.ValueState;
import io.sluice.engine.state.ValueStateDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Measures the RocksDB backend through the SPI, as a dedupe operator uses it: a read and a write
 * per new key, then reads of random keys, then a full and an incremental checkpoint. Not a test;
 * run it with the module's test classpath:
 *
 * <pre>
 * java -Xmx512m -cp ... io.sluice.state.rocksdb.RocksDbStateBenchmark [keys] [directory]
 * </pre>
 */
public final class RocksDbStateBenchmark {
  private static final int MAX_PARALLELISM = KeyGroups.DEFAULT_MAX_PARALLELISM;

  private RocksDbStateBenchmark() {}

  public static void main(String[] args) throws Exception {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("rocksdb-bench");
    CheckpointStorage storage = new CheckpointStorage(dir.resolve("checkpoints"));
    RocksDbStateBackend backend = new RocksDbStateBackend(dir.resolve("work"));
    try (KeyedStateBackend<Long> state =
        backend.createKeyedStateBackend(
            new KeyedBackendParameters<>(
                "bench", "dedupe", 0, 1, MAX_PARALLELISM,
                KeyGroups.rangeOf(MAX_PARALLELISM, 1, 0), Serializers.longs(),
                System::currentTimeMillis))) {
      ValueState<Long> seen = state.state(new ValueStateDescriptor<>("seen", Serializers.longs()));
      long start = System.nanoTime();
      for (long key = 0; key < keys; key++) {
        state.setCurrentKey(key);
        if (seen.value() == null) {
          seen.update(key);
        }
      }
      report("dedupe of new keys (get + put)", keys, start);
      SplittableRandom random = new SplittableRandom(42);
      start = System.nanoTime();
      for (int i = 0; i < keys; i++) {
        state.setCurrentKey(random.nextLong(keys));
        seen.value();
      }
      report("gets of random keys", keys, start);

      KeyedStateHandle full = checkpoint(storage, state, 1);
      int changed = keys / 100;
      for (long key = keys; key < keys + changed; key++) {
        state.setCurrentKey(key);
        seen.update(key);
      }
      KeyedStateHandle incremental = checkpoint(storage, state, 2);
      Set<String> uploaded = new HashSet<>(incremental.sharedFiles());
      uploaded.removeAll(full.sharedFiles());
      System.out.printf(
          "checkpoint 2 after %d new keys: new shared files %d MB of %d MB%n",
          changed, size(storage, uploaded) >> 20, size(storage, incremental.sharedFiles()) >> 20);
    }
  }

  private static KeyedStateHandle checkpoint(
      CheckpointStorage storage, KeyedStateBackend<Long> state, long id) throws Exception {
    long start = System.nanoTime();
    Callable<KeyedStateHandle> upload = state.snapshot(storage.target(id));
    long synchronous = System.nanoTime() - start;
    KeyedStateHandle handle = upload.call();
    long total = System.nanoTime() - start;
    storage.write(
        new CheckpointMetadata(
            "bench", "bench-lineage", id, System.currentTimeMillis(),
            CheckpointMetadata.Kind.CHECKPOINT, MAX_PARALLELISM,
            Map.of("dedupe", new OperatorState("dedupe", StreamNode.Kind.KEYED, null,
                List.of(new OperatorSubtaskState(null, List.of(handle)))))));
    state.notifyCheckpointComplete(id);
    storage.retain(1);
    System.out.printf(
        "checkpoint %d: %d MB in %d shared files; synchronous %d ms, total %d ms%n",
        id, size(storage, handle.sharedFiles()) >> 20, handle.sharedFiles().size(),
        synchronous / 1_000_000, total / 1_000_000);
    return handle;
  }

  private static long size(CheckpointStorage storage, Iterable<String> files) throws Exception {
    long size = 0;
    for (String file : files) {
      size += Files.size(storage.directory().resolve(file));
    }
    return size;
  }

  private static void report(String what, int operations, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf("%s: %d in %.1f s, %.0f per second%n",
        what, operations, seconds, operations / seconds);
  }
}
