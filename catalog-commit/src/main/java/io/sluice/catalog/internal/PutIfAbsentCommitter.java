package io.sluice.catalog.internal;

import io.delta.kernel.commit.CommitFailedException;
import io.delta.kernel.commit.CommitMetadata;
import io.delta.kernel.commit.CommitResponse;
import io.delta.kernel.commit.Committer;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.actions.Protocol;
import io.delta.kernel.internal.files.ParsedPublishedDeltaData;
import io.delta.kernel.internal.tablefeatures.TableFeatures;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernel {@link Committer} for filesystem-managed tables that publishes {@code _delta_log/<N>.json}
 * with put-if-absent semantics, and reports "the version already exists" as {@code
 * CommitFailedException(retryable=true, conflict=true)} so that Kernel rebases the transaction
 * onto the winning commit and retries at the next version.
 *
 * <p>Local file systems: Hadoop's local rename silently replaces an existing target and Kernel's
 * {@code HDFSLogStore} guards the exists-check + rename only with a per-instance lock, so neither
 * is atomic. This committer writes the commit to a hidden temporary file in {@code _delta_log},
 * forces it to disk, then publishes it with a hard link ({@code link(2)}), which atomically fails
 * with {@code EEXIST} when the version exists, across threads and processes. On a file system
 * without hard links it falls back to a JVM-wide lock around exists-check + move (safe only within
 * one JVM; a warning is logged).
 *
 * <p>Other schemes: delegates to Kernel's {@code JsonHandler.writeJsonFileAtomically(overwrite=
 * false)}, whose LogStore per scheme provides put-if-absent (atomic rename on HDFS, conditional
 * create on ABFS/GCS; S3 needs a LogStore configured for multi-writer put-if-absent).
 */
public final class PutIfAbsentCommitter implements Committer {
  private static final Logger LOG = LoggerFactory.getLogger(PutIfAbsentCommitter.class);
  private static final ConcurrentHashMap<String, Object> FALLBACK_LOCKS = new ConcurrentHashMap<>();
  private static volatile boolean warnedNoHardLinks;

  private final Configuration hadoopConf;
  private final CommitTimer timer;

  public PutIfAbsentCommitter(Configuration hadoopConf) {
    this(hadoopConf, new CommitTimer());
  }

  /** A committer that reports the time of each put-if-absent publish to {@code timer}. */
  PutIfAbsentCommitter(Configuration hadoopConf, CommitTimer timer) {
    this.hadoopConf = hadoopConf;
    this.timer = timer;
  }

  @Override
  public CommitResponse commit(
      Engine engine, CloseableIterator<Row> finalizedActions, CommitMetadata commitMetadata)
      throws CommitFailedException {
    if (isCatalogManaged(commitMetadata.getReadProtocolOpt())
        || isCatalogManaged(commitMetadata.getNewProtocolOpt())) {
      closeQuietly(finalizedActions);
      throw new CommitFailedException(
          false,
          false,
          "the table is catalog-managed (table feature catalogManaged): commit through the"
              + " managing catalog's committer, not the filesystem committer");
    }

    String target = commitMetadata.getPublishedDeltaFilePath();
    long version = commitMetadata.getVersion();
    Path targetPath = new Path(target);
    FileSystem fs;
    try {
      fs = targetPath.getFileSystem(hadoopConf);
    } catch (IOException e) {
      throw new CommitFailedException(
          true, false, "cannot access the file system of " + target + ": " + e, e);
    }

    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      publishLocal(engine, finalizedActions, fs.makeQualified(targetPath), version);
    } else {
      publishWithLogStore(engine, finalizedActions, target, version);
    }

    FileStatus status = publishedStatus(engine, target, version);
    LOG.debug("Published {}", status.getPath());
    return new CommitResponse(ParsedPublishedDeltaData.forFileStatus(status));
  }

  private void publishLocal(
      Engine engine, CloseableIterator<Row> actions, Path qualifiedTarget, long version)
      throws CommitFailedException {
    java.nio.file.Path target = java.nio.file.Path.of(qualifiedTarget.toUri());
    java.nio.file.Path temp =
        target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    if (Files.exists(target)) {
      closeQuietly(actions);
      throw conflict(version, null);
    }
    try {
      try {
        // Serialize through the engine's JSON handler (public Kernel API) into a private file.
        engine
            .getJsonHandler()
            .writeJsonFileAtomically(new Path(temp.toUri()).toString(), actions, false);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
      } catch (IOException | RuntimeException e) {
        throw new CommitFailedException(
            true, false, "failed to write the commit for version " + version + ": " + e, e);
      }
      long linkStart = System.nanoTime();
      try {
        Files.createLink(target, temp);
      } catch (FileAlreadyExistsException e) {
        throw conflict(version, e);
      } catch (UnsupportedOperationException | FileSystemException e) {
        if (e instanceof FileSystemException fse && Files.exists(target)) {
          throw conflict(version, fse);
        }
        publishLocalWithoutHardLink(temp, target, version, e);
      } catch (IOException e) {
        // link(2) is atomic: when it fails the version was not published by us.
        throw new CommitFailedException(
            true, false, "failed to publish version " + version + ": " + e, e);
      } finally {
        timer.addCatalog(System.nanoTime() - linkStart);
      }
      syncDirectory(target.getParent());
    } finally {
      try {
        Files.deleteIfExists(temp);
        // Hadoop's checksummed local file system may have left a side file for the temp file.
        Files.deleteIfExists(temp.resolveSibling("." + temp.getFileName() + ".crc"));
      } catch (IOException e) {
        LOG.warn("Could not delete temporary commit file {}: {}", temp, e.toString());
      }
    }
  }

  static void publishLocalWithoutHardLink(
      java.nio.file.Path temp, java.nio.file.Path target, long version, Exception linkFailure)
      throws CommitFailedException {
    if (!warnedNoHardLinks) {
      warnedNoHardLinks = true;
      LOG.warn(
          "Hard links are not supported under {} ({}); Delta commits are serialized with a JVM-wide"
              + " lock, which is not safe against writers in other processes",
          target.getParent(),
          linkFailure.toString());
    }
    synchronized (fallbackLock(target)) {
      try {
        if (Files.exists(target)) {
          throw conflict(version, null);
        }
        Files.move(temp, target);
      } catch (FileAlreadyExistsException e) {
        throw conflict(version, e);
      } catch (IOException e) {
        throw new CommitFailedException(
            true, false, "failed to publish version " + version + ": " + e, e);
      }
    }
  }

  /**
   * The JVM-wide lock of one table's log directory. Never removed: removing it while another
   * thread waits on it would let a third thread lock a fresh object and publish concurrently. One
   * small object per table is kept.
   */
  static Object fallbackLock(java.nio.file.Path target) {
    return FALLBACK_LOCKS.computeIfAbsent(
        target.toAbsolutePath().getParent().toString(), k -> new Object());
  }

  private void publishWithLogStore(
      Engine engine, CloseableIterator<Row> actions, String target, long version)
      throws CommitFailedException {
    long start = System.nanoTime();
    try {
      engine.getJsonHandler().writeJsonFileAtomically(target, actions, false);
    } catch (IOException | RuntimeException e) {
      if (isAlreadyExists(e)) {
        throw conflict(version, e);
      }
      throw new CommitFailedException(
          true, false, "failed to publish version " + version + ": " + e, e);
    } finally {
      timer.addCatalog(System.nanoTime() - start);
    }
  }

  private static FileStatus publishedStatus(Engine engine, String target, long version)
      throws CommitFailedException {
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return engine.getFileSystemClient().getFileStatus(target);
      } catch (IOException e) {
        last = e;
      }
    }
    // The version is published but we cannot stat it: a retry will see "exists" and Kernel reports
    // the state as unknown, which makes the caller re-check its txn version.
    throw new CommitFailedException(
        true, false, "published version " + version + " but cannot read its status: " + last, last);
  }

  private static boolean isAlreadyExists(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof FileAlreadyExistsException
          || c instanceof org.apache.hadoop.fs.FileAlreadyExistsException) {
        return true;
      }
    }
    return false;
  }

  private static CommitFailedException conflict(long version, Exception cause) {
    return new CommitFailedException(
        true, true, "Delta version " + version + " was already published by another writer", cause);
  }

  private static boolean isCatalogManaged(Optional<Protocol> protocol) {
    return protocol.map(TableFeatures::isCatalogManagedSupported).orElse(false);
  }

  private static void syncDirectory(java.nio.file.Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      // Not supported on every platform; the commit itself is already visible.
    }
  }

  private static void closeQuietly(CloseableIterator<Row> it) {
    try {
      it.close();
    } catch (IOException e) {
      // ignore
    }
  }
}
