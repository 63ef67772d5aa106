package io.sluice.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.sluice.catalog.internal.NioLocalFileSystem;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local files get Hadoop's permissions through java.nio, so no {@code chmod} process is needed. */
class HadoopConfigurationsTest {

  @Test
  void localFilesAreCreatedAndPermittedInProcess(@TempDir java.nio.file.Path dir) throws Exception {
    FileSystem fs = FileSystem.newInstance(dir.toUri(), HadoopConfigurations.create(Map.of()));
    try (fs) {
      assertInstanceOf(NioLocalFileSystem.class, fs);
      assertInstanceOf(NioLocalFileSystem.Raw.class, ((LocalFileSystem) fs).getRawFileSystem());
      Path file = new Path(dir.resolve("part-0.parquet").toUri());
      try (OutputStream out = fs.create(file, new FsPermission((short) 0640), false, 4096,
          (short) 1, 1 << 20, null)) {
        out.write(1);
      }
      assertEquals("rw-r-----", permissions(dir.resolve("part-0.parquet")));
      fs.setPermission(file, new FsPermission((short) 0600));
      assertEquals("rw-------", permissions(dir.resolve("part-0.parquet")));
      fs.mkdirs(new Path(dir.resolve("a/b").toUri()), new FsPermission((short) 0750));
      assertEquals("rwxr-x---", permissions(dir.resolve("a/b")));
    }
  }

  @Test
  void theFileContextApiWritesLocalFilesInProcessToo(@TempDir java.nio.file.Path dir)
      throws Exception {
    FileContext context =
        FileContext.getFileContext(dir.toUri(), HadoopConfigurations.create(Map.of()));
    assertInstanceOf(NioLocalFileSystem.Fs.class, context.getDefaultFileSystem());
    Path file = new Path(dir.resolve("00000000000000000000.json").toUri());
    try (OutputStream out = context.create(file, EnumSet.of(CreateFlag.CREATE),
        Options.CreateOpts.perms(new FsPermission((short) 0604)))) {
      out.write('{');
    }
    assertEquals("rw----r--", permissions(dir.resolve("00000000000000000000.json")));
    Path renamed = new Path(dir.resolve("renamed.json").toUri());
    context.rename(file, renamed, Options.Rename.NONE);
    assertEquals(1, Files.size(dir.resolve("renamed.json")));
  }

  @Test
  void anOverrideNamesAnotherLocalFileSystem() {
    assertEquals(LocalFileSystem.class, HadoopConfigurations
        .create(Map.of("fs.file.impl", LocalFileSystem.class.getName()))
        .getClass("fs.file.impl", null));
  }

  private static String permissions(java.nio.file.Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
