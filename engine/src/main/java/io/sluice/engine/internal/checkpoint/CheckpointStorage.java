package io.sluice.engine.internal.checkpoint;

import io.sluice.engine.UnrecoverableException;
import io.sluice.engine.internal.state.KeyedStateHandle;
import io.sluice.engine.internal.state.SnapshotTarget;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints on a local (or mounted) file system: {@code <dir>/chk-<id>/_metadata} with the
 * checkpoint's exclusive state files beside it, and {@code <dir>/shared/} for state files several
 * checkpoints refer to (incremental RocksDB snapshots). The metadata file is written under a
 * temporary name, fsynced and atomically renamed, then the directories are fsynced: a checkpoint
 * is complete exactly when its {@code _metadata} exists. Directories without it are leftovers of
 * checkpoints that never completed; shared files no retained checkpoint refers to are garbage.
 */
public final class CheckpointStorage {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStorage.class);
  public static final String PREFIX = "chk-";
  public static final String METADATA = "_metadata";
  public static final String SHARED = "shared";
  private static final String IN_PROGRESS_SUFFIX = ".inprogress";
  private static final String LOCK = ".lock";
  private static final String LINEAGE = "lineage";

  private final Path directory;

  public CheckpointStorage(Path directory) {
    this.directory = directory;
  }

  /**
   * Reserves the directory for this job until the returned handle is closed: two jobs writing the
   * same checkpoint ids would also commit under the same transaction ids, and the sink would skip
   * one's data as already committed. The operating system releases the lock when the process
   * dies, so a killed job never blocks its successor.
   */
  public Closeable lockExclusive(String pipelineId) throws IOException {
    Files.createDirectories(directory);
    Path file = directory.resolve(LOCK);
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another job in this JVM
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new UnrecoverableException(
          "checkpoint directory " + directory + " is in use by another running job (lock " + file
              + "): pipeline " + pipelineId + " cannot run twice at once");
    }
    return channel::close;
  }

  public Path directory() {
    return directory;
  }

  public Path metadataFile(long checkpointId) {
    return directory.resolve(PREFIX + checkpointId).resolve(METADATA);
  }

  /** Ids of the checkpoint directories, complete or not, ascending. */
  public List<Long> checkpointIds() throws IOException {
    List<Long> ids = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return ids;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(directory, PREFIX + "*")) {
      for (Path p : dirs) {
        String suffix = p.getFileName().toString().substring(PREFIX.length());
        if (!suffix.isEmpty() && suffix.chars().allMatch(Character::isDigit)
            && Files.isDirectory(p)) {
          try {
            ids.add(Long.parseLong(suffix));
          } catch (NumberFormatException e) {
            // not ours
          }
        }
      }
    }
    ids.sort(null);
    return ids;
  }

  /** Ids of the completed checkpoints (with metadata), ascending. */
  public List<Long> completedCheckpointIds() throws IOException {
    List<Long> done = new ArrayList<>();
    for (long id : checkpointIds()) {
      if (Files.isRegularFile(metadataFile(id))) {
        done.add(id);
      }
    }
    return done;
  }

  /**
   * The latest completed checkpoint, if any.
   *
   * @throws CheckpointCorruptedException if its metadata cannot be read; the message names the
   *     file
   */
  public Optional<CheckpointMetadata> loadLatest() throws IOException {
    List<Long> done = completedCheckpointIds();
    if (done.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(load(done.get(done.size() - 1)));
  }

  public CheckpointMetadata load(long checkpointId) throws IOException {
    CheckpointMetadata meta = readMetadata(metadataFile(checkpointId));
    if (meta.checkpointId() != checkpointId) {
      throw new CheckpointCorruptedException(
          "checkpoint metadata file " + metadataFile(checkpointId) + " is corrupt: it holds"
              + " checkpoint " + meta.checkpointId(),
          null);
    }
    return meta;
  }

  /** Reads a metadata file (of a checkpoint or a savepoint). */
  public static CheckpointMetadata readMetadata(Path file) throws IOException {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IOException("cannot read checkpoint metadata file " + file + ": " + e, e);
    }
    return CheckpointMetadata.fromBytes(data, file.toString());
  }

  /** Where checkpoint {@code checkpointId} writes its state files. */
  public SnapshotTarget target(long checkpointId) {
    return new SnapshotTarget() {
      @Override
      public long checkpointId() {
        return checkpointId;
      }

      @Override
      public StateFile exclusiveFile(String hint) throws IOException {
        return newFile(PREFIX + checkpointId, hint);
      }

      @Override
      public StateFile sharedFile(String hint) throws IOException {
        return newFile(SHARED, hint);
      }

      @Override
      public Path root() {
        return directory;
      }
    };
  }

  private SnapshotTarget.StateFile newFile(String subdirectory, String hint) throws IOException {
    Path dir = directory.resolve(subdirectory);
    Files.createDirectories(dir);
    String name = safeName(hint) + "-" + UUID.randomUUID();
    return new SnapshotTarget.StateFile(dir.resolve(name), subdirectory + "/" + name);
  }

  /** Letters, digits, '.', '_' and '-' only: operator ids may contain anything. */
  static String safeName(String hint) {
    return hint.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /**
   * The lineage of a fresh start in this directory: the one an earlier fresh start here created,
   * if any (it may have reached a table although its attempt ended before its first checkpoint),
   * otherwise a new one, written durably before it is returned.
   */
  public String freshStartLineage() throws IOException {
    Path file = directory.resolve(LINEAGE);
    if (Files.exists(file)) {
      String lineage = Files.readString(file).trim();
      try {
        return UUID.fromString(lineage).toString();
      } catch (IllegalArgumentException e) {
        throw new CheckpointCorruptedException(
            "lineage file " + file + " is corrupt: '" + lineage + "' is not a lineage id", e);
      }
    }
    String lineage = CheckpointMetadata.newLineage();
    writeAtomically(directory, LINEAGE, (lineage + "\n").getBytes(StandardCharsets.UTF_8));
    return lineage;
  }

  /** Writes a checkpoint durably and atomically; it is complete when this returns. */
  public void write(CheckpointMetadata meta) throws IOException {
    Path dir = directory.resolve(PREFIX + meta.checkpointId());
    if (Files.exists(dir.resolve(METADATA))) {
      throw new IOException("checkpoint " + dir + " already exists");
    }
    Path shared = directory.resolve(SHARED);
    if (Files.isDirectory(shared)) {
      fsyncDirectory(shared);
    }
    writeMetadata(dir, meta);
    fsyncDirectory(directory);
  }

  /**
   * Writes {@code dir/_metadata} atomically (temporary file, fsync, rename, directory fsync), for
   * checkpoints and savepoints.
   */
  public static void writeMetadata(Path dir, CheckpointMetadata meta) throws IOException {
    writeAtomically(dir, METADATA, meta.toBytes());
  }

  /** Writes {@code dir/name} under a temporary name, fsyncs, renames it and fsyncs {@code dir}. */
  private static void writeAtomically(Path dir, String name, byte[] bytes) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(name + IN_PROGRESS_SUFFIX);
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    fsyncDirectory(dir);
  }

  /**
   * Keeps the newest {@code retained} completed checkpoints: deletes older directories, then the
   * shared files none of the kept ones refers to.
   */
  public void retain(int retained) throws IOException {
    List<Long> done = completedCheckpointIds();
    if (done.isEmpty()) {
      return;
    }
    long oldestKept = done.get(Math.max(0, done.size() - retained));
    for (long id : checkpointIds()) {
      if (id < oldestKept) {
        deleteCheckpoint(id);
      }
    }
    collectSharedGarbage();
  }

  /** Deletes checkpoint directories after {@code id}: never completed, their ids are reused. */
  public void deleteAfter(long id) throws IOException {
    for (long other : checkpointIds()) {
      if (other > id) {
        deleteCheckpoint(other);
      }
    }
    collectSharedGarbage();
  }

  /**
   * Deletes the files of {@code shared/} that no completed checkpoint refers to. Runs only while
   * no checkpoint is being taken (at a completion, before the next trigger, or before tasks start),
   * so a file an in-flight snapshot just wrote is never mistaken for garbage.
   */
  void collectSharedGarbage() throws IOException {
    Path shared = directory.resolve(SHARED);
    if (!Files.isDirectory(shared)) {
      return;
    }
    Set<String> referenced = new HashSet<>();
    for (long id : completedCheckpointIds()) {
      for (KeyedStateHandle handle : load(id).keyedStateHandles()) {
        referenced.addAll(handle.sharedFiles());
      }
    }
    int deleted = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(shared)) {
      for (Path file : files) {
        if (!referenced.contains(SHARED + "/" + file.getFileName())) {
          Files.deleteIfExists(file);
          deleted++;
        }
      }
    }
    if (deleted > 0) {
      LOG.debug("deleted {} shared state files no retained checkpoint refers to", deleted);
    }
  }

  private void deleteCheckpoint(long id) throws IOException {
    Path dir = directory.resolve(PREFIX + id);
    // Remove the metadata first so a half-deleted directory never looks complete.
    Files.deleteIfExists(dir.resolve(METADATA));
    deleteRecursively(dir);
    LOG.debug("deleted checkpoint directory {}", dir);
  }

  static void deleteRecursively(Path dir) throws IOException {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException e) {
      // already gone
    }
  }

  static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Not supported on every platform/file system; the rename is still atomic.
      LOG.trace("cannot fsync directory {}", dir, e);
    }
  }
}
