package io.sluice.delta.internal;

import io.delta.kernel.Snapshot;
import io.sluice.catalog.TableCommitClient;
import io.sluice.catalog.TableCommitException;
import io.sluice.delta.VacuumResult;
import io.sluice.engine.config.OptionType;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the data files of a table that no version within the retention references, as Delta's
 * VACUUM does: a Parquet file under the table root (hidden directories and files aside) is deleted
 * when it is older than the cutoff ({@code now - retention}), not live in the latest version, and
 * not removed by a commit since the cutoff (so every version from the one current at the cutoff
 * on still reads).
 *
 * <p>What a writer is still to commit is never deleted. A running writer's files are newer than
 * the cutoff, which is at least an hour ago. A pipeline's data files are named after it and their
 * checkpoint, and a restore re-commits the files of its checkpoint however old: such a file is
 * deleted only once the table records that pipeline's commit of that checkpoint or a later one.
 */
public final class Vacuum {
  /** No retention is shorter: files written within it may belong to a commit in progress. */
  public static final Duration MIN_RETENTION = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(Vacuum.class);

  private final TableCommitClient client;
  private final Configuration hadoopConf;

  public Vacuum(TableCommitClient client, Configuration hadoopConf) {
    this.client = client;
    this.hadoopConf = hadoopConf;
  }

  /**
   * @throws IllegalArgumentException when {@code retention} is shorter than the table's {@code
   *     delta.deletedFileRetentionDuration} and not {@code force}d, or shorter than an hour
   * @throws TableCommitException when the table may not be vacuumed
   */
  public VacuumResult run(Duration retention, boolean force, boolean dryRun) throws IOException {
    client.maintenanceRefusal().ifPresent(reason -> {
      throw new TableCommitException("cannot vacuum " + client + ": " + reason);
    });
    Snapshot latest = client.latestSnapshot();
    checkRetention(client.toString(), retention, DeltaLog.deletedFileRetention(latest), force);
    Instant cutoff = Instant.now().minus(retention);

    Path root = new Path(client.storageLocation());
    FileSystem fs = root.getFileSystem(hadoopConf);
    root = fs.makeQualified(root);
    Set<String> referenced = new HashSet<>();
    for (DeltaLog.LiveFile live : DeltaLog.liveFiles(client.engine(), latest)) {
      referenced.add(location(root, live.path()));
    }
    for (String removed : DeltaLog.removedSince(client.engine(), latest, cutoff.toEpochMilli())) {
      referenced.add(location(root, removed));
    }
    List<DataFileNames> pipelines = new ArrayList<>();
    List<Long> committed = new ArrayList<>();
    for (Map.Entry<String, Long> txn : client.transactionVersions().entrySet()) {
      pipelines.add(new DataFileNames(txn.getKey()));
      committed.add(txn.getValue());
    }

    List<String> deleted = new ArrayList<>();
    long bytes = 0;
    int kept = 0;
    String prefix = root.toUri().getPath() + "/";
    for (FileStatus file : dataFiles(fs, root)) {
      String location = file.getPath().toUri().getPath();
      if (referenced.contains(location) || file.getModificationTime() >= cutoff.toEpochMilli()) {
        continue;
      }
      String name = file.getPath().getName();
      if (mayStillBeCommitted(name, pipelines, committed)) {
        kept++;
        continue;
      }
      if (!dryRun && !fs.delete(file.getPath(), false)) {
        LOG.warn("Could not delete {} of {}", file.getPath(), client);
        continue;
      }
      deleted.add(location.substring(prefix.length()));
      bytes += file.getLen();
    }
    return new VacuumResult(cutoff, deleted, bytes, kept, dryRun);
  }

  /** The snapshot's {@code delta.deletedFileRetentionDuration} (a week unless set). */
  public static Duration deletedFileRetention(Snapshot snapshot) {
    return DeltaLog.deletedFileRetention(snapshot);
  }

  /** Refuses a retention shorter than the table's unless forced, and any shorter than an hour. */
  static void checkRetention(String table, Duration retention, Duration tableRetention, boolean force) {
    OptionType<Duration> durations = OptionType.duration();
    if (retention.compareTo(MIN_RETENTION) < 0) {
      throw new IllegalArgumentException("refusing to vacuum " + table + " with a retention of "
          + durations.format(retention) + ": files written within the last "
          + durations.format(MIN_RETENTION) + " may belong to a commit in progress (a pipeline's"
          + " compaction, another writer), so no retention is shorter");
    }
    if (retention.compareTo(tableRetention) < 0 && !force) {
      throw new IllegalArgumentException("refusing to vacuum " + table + " with a retention of "
          + durations.format(retention) + ", shorter than its delta.deletedFileRetentionDuration of "
          + durations.format(tableRetention) + ": readers of versions from that time, and writers"
          + " still to commit files that old, could find their files gone; --force (force = true)"
          + " accepts that");
    }
  }

  /**
   * Whether a pipeline may still commit the file: named as some pipeline's data file, and not of
   * a checkpoint the table records that pipeline as having committed.
   */
  private static boolean mayStillBeCommitted(
      String name, List<DataFileNames> pipelines, List<Long> committed) {
    if (!DataFileNames.isPipelineFileName(name)) {
      return false;
    }
    for (int i = 0; i < pipelines.size(); i++) {
      OptionalLong checkpoint = pipelines.get(i).checkpointOf(name);
      if (checkpoint.isPresent()) {
        return checkpoint.getAsLong() > committed.get(i);
      }
    }
    return true; // a pipeline that has committed nothing yet
  }

  /** The Parquet files under {@code dir}, hidden ones ({@code _*}, {@code .*}) and their trees aside. */
  private static List<FileStatus> dataFiles(FileSystem fs, Path dir) throws IOException {
    List<FileStatus> files = new ArrayList<>();
    FileStatus[] entries;
    try {
      entries = fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return files;
    }
    for (FileStatus entry : entries) {
      String name = entry.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      if (entry.isDirectory()) {
        files.addAll(dataFiles(fs, entry.getPath()));
      } else if (name.endsWith(".parquet")) {
        files.add(entry);
      }
    }
    return files;
  }

  /** The file system path of a file named as in the log (relative and URI-encoded, or absolute). */
  private static String location(Path root, String logPath) {
    try {
      URI uri = new URI(logPath);
      return (uri.isAbsolute() ? new Path(uri) : new Path(root, new Path(uri))).toUri().getPath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("a data file path in the log is not a URI: " + logPath, e);
    }
  }
}
