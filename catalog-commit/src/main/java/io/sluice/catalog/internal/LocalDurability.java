package io.sluice.catalog.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Forces log files of catalog-managed tables to disk before the catalog is told about them: a
 * ratified staged commit or a reported published version must not vanish in a power failure.
 * Kernel writes and copies them without a sync. Only {@code file:} locations need it; object
 * stores and HDFS make a file durable when it is closed.
 */
final class LocalDurability {
  private LocalDurability() {}

  /** Syncs the file at {@code location} and its directory, if it is a local file. */
  static void sync(String location) {
    URI uri = new org.apache.hadoop.fs.Path(location).toUri();
    if (uri.getScheme() != null && !uri.getScheme().equals("file")) {
      return;
    }
    Path file = Path.of(uri.getPath());
    try {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
        dir.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync " + file + " to disk", e);
    }
  }
}
