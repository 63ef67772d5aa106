package io.sluice.engine.internal.state;

import java.util.List;

/**
 * A reference to the keyed state of one operator subtask in a checkpoint or savepoint. Paths are
 * relative to the root of the checkpoint storage (or of the savepoint), so both can be moved.
 * Each kind has a {@link KeyedStateHandleCodec} that stores it in metadata and reads it back as
 * canonical entries.
 */
public interface KeyedStateHandle {

  /** The codec's kind, stored with the handle. */
  String kind();

  KeyGroupRange keyGroupRange();

  /** Files only this checkpoint uses (deleted with it). */
  List<String> exclusiveFiles();

  /** Files shared with other checkpoints (deleted when no retained checkpoint refers to them). */
  List<String> sharedFiles();

  /** Bytes of every file the handle refers to: the size of the state in the checkpoint. */
  long stateSize();

  /** Bytes written for the checkpoint that made the handle; the rest it shares with earlier ones. */
  long checkpointedSize();
}
