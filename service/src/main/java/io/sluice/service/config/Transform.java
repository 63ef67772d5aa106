package io.sluice.service.config;

import java.time.Duration;
import java.util.List;

/** A step of the pipeline file's {@code transforms:} list, applied in order. */
public sealed interface Transform {

  /**
   * Drops a record whose key fields equal those of a record kept less than {@code within} ago:
   * the table gets the first record of each key. Keys are remembered in keyed state (so the
   * dedupe survives restarts) for {@code within} of processing time after the record was kept.
   */
  record Dedupe(List<String> key, Duration within) implements Transform {}
}
