package io.sluice.delta.internal;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/** Hadoop configuration and file system helpers. */
public final class DeltaFileSystems {
  private DeltaFileSystems() {}

  public static Configuration hadoopConfiguration(Map<String, String> overrides) {
    Configuration conf = new Configuration();
    overrides.forEach(conf::set);
    return conf;
  }

  /**
   * The file system data files are written and listed with: the raw local file system for local
   * tables (no {@code .crc} side files in the table directory), else the path's file system.
   */
  public static FileSystem dataFileSystem(Path tablePath, Configuration conf) throws IOException {
    FileSystem fs = tablePath.getFileSystem(conf);
    if (fs instanceof LocalFileSystem local) {
      return local.getRawFileSystem();
    }
    return fs;
  }
}
