package io.sluice.engine.state;

import java.time.Duration;
import java.util.Objects;

/**
 * Time-to-live of state values, in processing time: a value not written (or, with {@link
 * #refreshedOnRead()}, not read either) for longer than {@code ttl} is gone. Expired values are
 * never returned; their space is reclaimed incrementally while the job runs, and they are left
 * out of checkpoints and savepoints.
 *
 * @param refreshOnRead whether reading a value restarts its time-to-live
 */
public record StateTtl(Duration ttl, boolean refreshOnRead) {

  public StateTtl {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a time-to-live must be positive, got " + ttl);
    }
  }

  /** Values live {@code ttl} after they were last written. */
  public static StateTtl of(Duration ttl) {
    return new StateTtl(ttl, false);
  }

  /** The same time-to-live, restarted by reads as well as writes. */
  public StateTtl refreshedOnRead() {
    return new StateTtl(ttl, true);
  }

  public long ttlMillis() {
    return ttl.toMillis();
  }
}
