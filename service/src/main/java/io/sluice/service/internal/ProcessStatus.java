package io.sluice.service.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** Figures of a Linux process, from {@code /proc/<pid>}: memory, threads, open files. */
final class ProcessStatus {
  private ProcessStatus() {}

  /**
   * The field {@code field} ({@code VmRSS}: resident set size, {@code VmHWM}: its peak) of process
   * {@code pid} ({@code "self"}: this one) in KiB; empty where there is no such file (not Linux,
   * or the process is gone).
   */
  static OptionalLong kib(String pid, String field) {
    return number(pid, field);
  }

  /** {@code N MiB} of {@link #kib}, or {@code n/a}. */
  static String mib(String pid, String field) {
    OptionalLong kib = kib(pid, field);
    return kib.isPresent() ? (kib.getAsLong() / 1024) + " MiB" : "n/a";
  }

  /** The threads of process {@code pid}; empty as for {@link #kib}. */
  static OptionalLong threads(String pid) {
    return number(pid, "Threads");
  }

  /**
   * The open file descriptors of process {@code pid} (the entries of {@code /proc/<pid>/fd}: files,
   * sockets, pipes); empty where they cannot be listed (not Linux, the process is gone, or another
   * user's).
   */
  static OptionalLong openFiles(String pid) {
    try (Stream<Path> fds = Files.list(Path.of("/proc", pid, "fd"))) {
      return OptionalLong.of(fds.count());
    } catch (IOException | UncheckedIOException e) {
      return OptionalLong.empty();
    }
  }

  /** The number in the line {@code field:} of {@code /proc/<pid>/status}. */
  private static OptionalLong number(String pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith(field + ":")) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or the process exited
    }
    return OptionalLong.empty();
  }
}
