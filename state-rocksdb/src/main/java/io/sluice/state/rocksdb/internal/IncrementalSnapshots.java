package io.sluice.state.rocksdb.internal;

import io.sluice.engine.internal.state.KeyGroupRange;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.internal.state.SnapshotTarget;
import io.sluice.state.rocksdb.internal.IncrementalRocksDbHandle.SnapshotState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.rocksdb.Checkpoint;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incremental checkpoints of one database. The synchronous part creates a RocksDB checkpoint
 * (memtables flushed, SST files hard-linked) in a local directory; the asynchronous part uploads
 * the SST files that the last confirmed checkpoint did not have as shared files, refers to the
 * others by that checkpoint's paths, and copies the remaining files (MANIFEST, CURRENT, OPTIONS)
 * as the checkpoint's exclusive files.
 *
 * <p>Only the files of a checkpoint the backend was notified complete of (or restored from) are
 * reused: the coordinator triggers checkpoint N+1 only after every task processed N's completion,
 * and a completed checkpoint is retained until a newer one completes, whose handle then lists the
 * reused files in its {@code sharedFiles()} and so keeps them alive.
 */
final class IncrementalSnapshots {
  private static final Logger LOG = LoggerFactory.getLogger(IncrementalSnapshots.class);
  private static final String SST_SUFFIX = ".sst";

  private final Path localDirectory;
  private final String name;
  private final Map<Long, Uploads> unconfirmed = new ConcurrentHashMap<>();
  private Uploads confirmed = Uploads.NONE;

  /**
   * @param localDirectory where the local RocksDB checkpoints are created
   * @param name names the subtask in file names and logs
   */
  IncrementalSnapshots(Path localDirectory, String name) {
    this.localDirectory = localDirectory;
    this.name = name;
  }

  /** The SST files of one checkpoint, by name, with their paths relative to {@code root}. */
  private record Uploads(Path root, Map<String, String> ssts) {
    static final Uploads NONE = new Uploads(null, Map.of());

    /** The files a checkpoint written under {@code targetRoot} may refer to. */
    Map<String, String> reusableUnder(Path targetRoot) {
      return root != null && normalized(root).equals(normalized(targetRoot)) ? ssts : Map.of();
    }

    private static Path normalized(Path path) {
      return path.toAbsolutePath().normalize();
    }
  }

  /** Takes the synchronous part of a snapshot of {@code db} and returns the upload. */
  Callable<KeyedStateHandle> snapshot(
      RocksDB db,
      SnapshotTarget target,
      KeyGroupRange range,
      List<SnapshotState> states,
      long snapshotTime)
      throws RocksDBException, IOException {
    long start = System.nanoTime();
    Files.createDirectories(localDirectory);
    Path local = localDirectory.resolve("chk-" + target.checkpointId());
    // A checkpoint id is taken again after a restore from an earlier checkpoint.
    LocalFiles.deleteRecursively(local);
    try (Checkpoint checkpoint = Checkpoint.create(db)) {
      checkpoint.createCheckpoint(local.toString());
    }
    long synchronousNanos = System.nanoTime() - start;
    Map<String, String> reusable = confirmed.reusableUnder(target.root());
    return () -> {
      try {
        return upload(local, target, reusable, range, states, snapshotTime, synchronousNanos);
      } finally {
        LocalFiles.deleteRecursively(local);
      }
    };
  }

  private IncrementalRocksDbHandle upload(
      Path local,
      SnapshotTarget target,
      Map<String, String> reusable,
      KeyGroupRange range,
      List<SnapshotState> states,
      long snapshotTime,
      long synchronousNanos)
      throws IOException {
    long start = System.nanoTime();
    Map<String, String> ssts = new TreeMap<>();
    Map<String, String> privateFiles = new TreeMap<>();
    long sstBytes = 0;
    long newSstBytes = 0;
    long privateBytes = 0;
    List<Path> files;
    try (Stream<Path> listing = Files.list(local)) {
      files = listing.sorted().toList();
    }
    for (Path file : files) {
      String fileName = file.getFileName().toString();
      long size = Files.size(file);
      boolean sst = fileName.endsWith(SST_SUFFIX);
      sstBytes += sst ? size : 0;
      String reused = reusable.get(fileName);
      if (reused != null) {
        ssts.put(fileName, reused);
        continue;
      }
      String hint = name + "-" + fileName;
      SnapshotTarget.StateFile copy = sst ? target.sharedFile(hint) : target.exclusiveFile(hint);
      LocalFiles.copyDurably(file, copy.path());
      if (sst) {
        ssts.put(fileName, copy.relativePath());
        newSstBytes += size;
      } else {
        privateFiles.put(fileName, copy.relativePath());
        privateBytes += size;
      }
    }
    unconfirmed.put(target.checkpointId(), new Uploads(target.root(), ssts));
    int newSsts = (int) ssts.keySet().stream().filter(f -> !reusable.containsKey(f)).count();
    LOG.info(
        "{} checkpoint {}: state of {} bytes in {} SST files; uploaded {} new SST files ({} bytes)"
            + " and {} other files ({} bytes), reused {} SST files ({} bytes); synchronous part"
            + " {} ms, upload {} ms",
        name, target.checkpointId(), sstBytes, ssts.size(), newSsts, newSstBytes,
        privateFiles.size(), privateBytes, ssts.size() - newSsts, sstBytes - newSstBytes,
        TimeUnit.NANOSECONDS.toMillis(synchronousNanos),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    return new IncrementalRocksDbHandle(
        range, snapshotTime, states, ssts, privateFiles, sstBytes + privateBytes,
        newSstBytes + privateBytes);
  }

  /** Checkpoint {@code checkpointId} is complete: its SST files may be referred to. */
  void notifyComplete(long checkpointId) {
    Uploads uploads = unconfirmed.remove(checkpointId);
    unconfirmed.keySet().removeIf(id -> id < checkpointId);
    // Without a snapshot of ours in it, older files may be gone once it is retained alone.
    confirmed = uploads == null ? Uploads.NONE : uploads;
  }

  /** The database was restored from {@code handle}: its SST files may be referred to. */
  void restored(IncrementalRocksDbHandle handle, Path root) {
    confirmed = new Uploads(root, handle.sharedSsts());
  }
}
