package io.sluice.state.rocksdb;

import io.sluice.engine.internal.state.KeyedBackendParameters;
import io.sluice.engine.internal.state.KeyedStateBackend;
import io.sluice.engine.state.StateBackend;
import io.sluice.state.rocksdb.internal.RocksDbKeyedStateBackend;
import io.sluice.state.rocksdb.internal.SharedResources;
import java.nio.file.Path;
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

  @Override
  public <K> KeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters)
      throws Exception {
    return new RocksDbKeyedStateBackend<>(parameters, workingDirectory, resources);
  }

  @Override
  public String toString() {
    return "RocksDB state backend in " + workingDirectory + " with " + memoryBytes
        + " bytes of memory";
  }
}
