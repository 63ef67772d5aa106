package io.sluice.catalog;

import io.sluice.catalog.internal.HadoopLogin;
import io.sluice.catalog.internal.NioLocalFileSystem;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.AbstractFileSystem;
import org.apache.hadoop.fs.FileSystem;

/**
 * The Hadoop configurations Sluice reads and writes tables with, made to work for a process that
 * has only a Java runtime and any UID. Local files ({@code file:}) get their permissions through
 * java.nio ({@link NioLocalFileSystem}): Hadoop, without its native library, runs a {@code chmod}
 * process for every file and directory it creates, which needs a {@code chmod} on the PATH (a bare
 * Java runtime image has none) and forks several processes per commit.
 */
public final class HadoopConfigurations {
  private static final String LOCAL_FILE_SYSTEM = "fs.file.impl";
  private static final String LOCAL_FILE_CONTEXT = "fs.AbstractFileSystem.file.impl";

  private HadoopConfigurations() {}

  /**
   * Hadoop's defaults, then {@code overrides} (which may name other local file systems: {@code
   * fs.file.impl}, {@code fs.AbstractFileSystem.file.impl}).
   */
  public static Configuration create(Map<String, String> overrides) {
    return copy(new Configuration(), overrides);
  }

  /**
   * A copy of {@code base}, then {@code overrides}. Also makes sure Hadoop can log in as this
   * process's user when the operating system cannot name it ({@link HadoopLogin}).
   */
  public static Configuration copy(Configuration base, Map<String, String> overrides) {
    HadoopLogin.ensureLoginUser();
    Configuration conf = new Configuration(base);
    if (conf.get(LOCAL_FILE_SYSTEM) == null) {
      conf.setClass(LOCAL_FILE_SYSTEM, NioLocalFileSystem.class, FileSystem.class);
      conf.setClass(LOCAL_FILE_CONTEXT, NioLocalFileSystem.Fs.class, AbstractFileSystem.class);
    }
    overrides.forEach(conf::set);
    return conf;
  }
}
