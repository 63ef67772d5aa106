package io.sluice.state.rocksdb;

import io.sluice.engine.internal.state.KeyedBackendParameters;
import io.sluice.engine.internal.state.KeyedStateBackend;
import io.sluice.engine.state.StateBackend;
import io.sluice.state.rocksdb.internal.RocksDbKeyedStateBackend;
import io.sluice.state.rocksdb.internal.SharedResources;
import io.sluice.state.rocksdb.internal.LocalFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;

/**
 * Keyed state in RocksDB on local disk: state larger than the heap, bounded native memory, and
 * incremental checkpoints that upload only the files written since the previous one. Each keyed
 * operator subtask has its own database under the working directory, deleted when the subtask
 * ends; all of them share one memory budget ({@link RocksDbOptions#MEMORY}). Use one instance per
 * pipeline.
 */
public final class RocksDbStateBackend implements StateBackend {
  private final Path workingDirectory;
  private final long memoryBytes;
  private final SharedResources resources;
  /** Pipelines whose leftover databases (of a process that died) were deleted. */
  private final Map<String, Boolean> cleaned = new ConcurrentHashMap<>();

  /**
   * @param workingDirectory local scratch space for the databases (fast disk; not the checkpoint
   *     directory: its content is lost with the process)
   * @param memoryBytes the native memory budget, see {@link RocksDbOptions#MEMORY}
   */
  public RocksDbStateBackend(Path workingDirectory, long memoryBytes) {
    this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
    this.memoryBytes = RocksDbOptions.MEMORY.validate(memoryBytes);
    this.resources = new SharedResources(memoryBytes);
  }

  /** With the default memory budget. */
  public RocksDbStateBackend(Path workingDirectory) {
    this(workingDirectory, RocksDbOptions.MEMORY.defaultValue());
  }

  @Override
  public String name() {
    return "rocksdb";
  }

  public Path workingDirectory() {
    return workingDirectory;
  }

  public long memoryBytes() {
    return memoryBytes;
  }

  /**
   * The first keyed state of a pipeline created by this instance first deletes the pipeline's
   * databases left behind by a process that died: they are never reopened (state is restored from
   * checkpoints), and the checkpoint directory's lock guarantees no other process of the pipeline
   * runs.
   */
  @Override
  public <K> KeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters)
      throws Exception {
    cleaned.computeIfAbsent(parameters.pipelineId(), id -> {
      try {
        LocalFiles.deleteRecursively(
            RocksDbKeyedStateBackend.pipelineDirectory(workingDirectory, id));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Boolean.TRUE;
    });
    return new RocksDbKeyedStateBackend<>(parameters, workingDirectory, resources);
  }

  @Override
  public String toString() {
    return "RocksDB state backend in " + workingDirectory + " with " + memoryBytes
        + " bytes of memory";
  }
}
