package io.sluice.service.internal;

import java.nio.file.Path;

/**
 * How one run of a pipeline starts, from the command line rather than the pipeline file.
 *
 * @param fromSavepoint a savepoint (or retained checkpoint) directory to start from, or null
 * @param savepointOnStop where to write a savepoint when the run is asked to stop, or null (stop
 *     without one)
 * @param allowNonRestoredState drop restored keyed state of transforms the pipeline no longer has
 */
public record RunOptions(Path fromSavepoint, Path savepointOnStop, boolean allowNonRestoredState) {
  public static final RunOptions NONE = new RunOptions(null, null, false);
}
