package io.sluice.state.rocksdb.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** File operations of checkpoints and restores. */
public final class LocalFiles {
  private LocalFiles() {}

  /**
   * Makes {@code target} a hard link to {@code source}, or a copy where links are not possible
   * (another file system). Only for files nobody changes: SST files.
   */
  static void linkOrCopy(Path source, Path target) throws IOException {
    requireExists(source);
    try {
      Files.createLink(target, source);
    } catch (UnsupportedOperationException | FileSystemException e) {
      Files.copy(source, target);
    }
  }

  static void copy(Path source, Path target) throws IOException {
    requireExists(source);
    Files.copy(source, target);
  }

  /** Copies {@code source} to the new file {@code target} and syncs it to disk. */
  static void copyDurably(Path source, Path target) throws IOException {
    Files.copy(source, target);
    try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  public static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static void requireExists(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "checkpoint file is missing");
    }
  }
}
