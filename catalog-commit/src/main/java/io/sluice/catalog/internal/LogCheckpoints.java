package io.sluice.catalog.internal;

import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.CheckpointAlreadyExistsException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Delta log checkpoint every N versions, written by whichever writer lands on such a version. */
final class LogCheckpoints {
  private static final Logger LOG = LoggerFactory.getLogger(LogCheckpoints.class);

  private LogCheckpoints() {}

  /**
   * Checkpoints {@code published} if its version is a positive multiple of {@code interval}.
   *
   * @return whether this call wrote a checkpoint
   */
  static boolean writeIfDue(Engine engine, String table, Snapshot published, int interval) {
    long version = published.getVersion();
    if (interval <= 0 || version <= 0 || version % interval != 0) {
      return false;
    }
    try {
      published.writeCheckpoint(engine);
      LOG.info("Wrote Delta log checkpoint of {} at version {}", table, version);
      return true;
    } catch (CheckpointAlreadyExistsException e) {
      LOG.debug("Checkpoint of {} at version {} already exists", table, version);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Checkpoint of {} at version {} failed: {}", table, version, e.toString());
    }
    return false;
  }
}
