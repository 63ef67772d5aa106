package io.sluice.service.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Memory figures of a Linux process, from {@code /proc/<pid>/status}. */
final class ProcessStatus {
  private ProcessStatus() {}

  /**
   * The field {@code field} ({@code VmRSS}: resident set size, {@code VmHWM}: its peak) of process
   * {@code pid} ({@code "self"}: this one) in KiB; empty where there is no such file (not Linux,
   * or the process is gone).
   */
  static OptionalLong kib(String pid, String field) {
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

  /** {@code N MiB} of {@link #kib}, or {@code n/a}. */
  static String mib(String pid, String field) {
    OptionalLong kib = kib(pid, field);
    return kib.isPresent() ? (kib.getAsLong() / 1024) + " MiB" : "n/a";
  }
}
