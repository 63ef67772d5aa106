package io.sluice.delta.internal;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/** File system helpers. */
public final class DeltaFileSystems {
  private DeltaFileSystems() {}

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
