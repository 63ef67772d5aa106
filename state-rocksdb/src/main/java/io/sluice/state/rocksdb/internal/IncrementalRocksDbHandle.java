package io.sluice.state.rocksdb.internal;

import io.sluice.engine.internal.state.KeyGroupRange;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.internal.state.StateMeta;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An incremental RocksDB checkpoint of one subtask: the files of a RocksDB checkpoint of its
 * database. SST files are immutable and keep their name for life, so they are shared: each is
 * uploaded once and referred to by every later checkpoint that still contains it. The other files
 * (MANIFEST, CURRENT, OPTIONS) are the checkpoint's own.
 *
 * @param snapshotTime the processing time of the snapshot: what exports leave out as expired
 * @param states the column families, in the stored layout, with the declared time-to-live
 * @param sharedSsts SST file name (as RocksDB knows it) to its path in the storage
 * @param privateFiles other file names to their paths in the storage
 * @param stateSize bytes of all its files
 * @param checkpointedSize bytes its checkpoint uploaded (new SST files and the private files)
 */
public record IncrementalRocksDbHandle(
    KeyGroupRange keyGroupRange,
    long snapshotTime,
    List<SnapshotState> states,
    Map<String, String> sharedSsts,
    Map<String, String> privateFiles,
    long stateSize,
    long checkpointedSize)
    implements KeyedStateHandle {
  public static final String KIND = "rocksdb-incremental";

  /**
   * A state in the snapshot.
   *
   * @param ttlMillis its declared time-to-live; 0 when it has none, or was restored and not
   *     declared yet
   */
  public record SnapshotState(StateMeta meta, long ttlMillis) {}

  public IncrementalRocksDbHandle {
    states = List.copyOf(states);
    sharedSsts = Collections.unmodifiableSortedMap(new TreeMap<>(sharedSsts));
    privateFiles = Collections.unmodifiableSortedMap(new TreeMap<>(privateFiles));
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<String> exclusiveFiles() {
    return List.copyOf(privateFiles.values());
  }

  @Override
  public List<String> sharedFiles() {
    return List.copyOf(sharedSsts.values());
  }

  public List<StateMeta> stateMetas() {
    return states.stream().map(SnapshotState::meta).toList();
  }
}
