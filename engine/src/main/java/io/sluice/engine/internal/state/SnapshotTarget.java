package io.sluice.engine.internal.state;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where one checkpoint's state files go: files exclusive to the checkpoint (deleted with it) and
 * files shared by several checkpoints (deleted when none of the retained ones refers to them).
 * Handles record the relative paths, so the storage can move.
 */
public interface SnapshotTarget {

  long checkpointId();

  /** A new, unique file exclusive to this checkpoint, named after {@code hint}. */
  StateFile exclusiveFile(String hint) throws IOException;

  /** A new, unique file in the shared directory, named after {@code hint}. */
  StateFile sharedFile(String hint) throws IOException;

  /** The directory every relative path is resolved against. */
  Path root();

  /** A state file: where to write it, and the path its handle records. */
  record StateFile(Path path, String relativePath) {}
}
