package io.sluice.delta;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One closed data file staged by a writer for a checkpoint: everything the committer needs to
 * publish it as a Delta {@code add} action.
 *
 * @param relativePath path under the table root, as on the file system (partition directories
 *     Hive-escaped, not URI-encoded), e.g. {@code day=2024-01-02/<file>.snappy.parquet}
 * @param sizeBytes file size
 * @param modificationTime when the file was closed, epoch milliseconds
 * @param partitionValues partition column to Delta-serialized value (null for a null value), in
 *     partition column order
 * @param numRecords rows in the file
 * @param statsJson Delta per-file statistics JSON ({@code numRecords}, {@code minValues}, {@code
 *     maxValues}, {@code nullCount})
 */
public record DeltaCommittable(
    String relativePath,
    long sizeBytes,
    long modificationTime,
    Map<String, String> partitionValues,
    long numRecords,
    String statsJson) {

  public DeltaCommittable {
    Objects.requireNonNull(relativePath, "relativePath");
    Objects.requireNonNull(statsJson, "statsJson");
    partitionValues =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNull(partitionValues, "partitionValues")));
  }

  /** The file name (last path segment). */
  public String fileName() {
    return relativePath.substring(relativePath.lastIndexOf('/') + 1);
  }
}
