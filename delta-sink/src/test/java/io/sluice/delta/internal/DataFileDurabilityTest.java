package io.sluice.delta.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.delta.DataFileMetrics;
import io.sluice.delta.DeltaCommittable;
import io.sluice.delta.DeltaSinkConfig;
import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import io.sluice.engine.sink.SinkContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.Syncable;
import org.apache.hadoop.util.Progressable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data files and their directories are durable before the writer reports them. */
class DataFileDurabilityTest {
  /** Bytes of each file (by local path) covered by an hsync before it was closed. */
  static final Map<String, Long> SYNCED_AT_CLOSE = new ConcurrentHashMap<>();

  /** The raw local file system, recording hsync calls. */
  public static final class RecordingFileSystem extends RawLocalFileSystem {
    @Override
    public FSDataOutputStream create(
        org.apache.hadoop.fs.Path f,
        boolean overwrite,
        int bufferSize,
        short replication,
        long blockSize,
        Progressable progress)
        throws IOException {
      FSDataOutputStream inner =
          super.create(f, overwrite, bufferSize, replication, blockSize, progress);
      String key = pathToFile(f).getAbsolutePath();
      return new FSDataOutputStream(new Recording(inner, key), null);
    }
  }

  static final class Recording extends OutputStream implements Syncable {
    private final FSDataOutputStream inner;
    private final String key;
    private long synced = -1;

    Recording(FSDataOutputStream inner, String key) {
      this.inner = inner;
      this.key = key;
    }

    @Override
    public void write(int b) throws IOException {
      inner.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      inner.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      inner.flush();
    }

    @Override
    public void hflush() throws IOException {
      inner.hflush();
    }

    @Override
    public void hsync() throws IOException {
      inner.hsync();
      synced = inner.getPos();
    }

    @Override
    public void close() throws IOException {
      SYNCED_AT_CLOSE.put(key, synced);
      inner.close();
    }
  }

  @TempDir Path dir;

  @Test
  void filesAndDirectoriesAreSyncedBeforePrepareCommitReturns() throws Exception {
    Path table = dir.resolve("t");
    Schema schema =
        new Schema(
            List.of(
                new Field("id", FieldType.LONG, false),
                new Field("region", FieldType.STRING, true),
                new Field("day", FieldType.INT, true),
                new Field("v", FieldType.STRING, true)));
    DeltaSinkConfig config =
        DeltaSinkConfig.builder(table.toString(), schema, "pipe/t")
            .partitionColumns("region", "day")
            .maxRowsPerFile(7) // early (rolled) files too
            .build();
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", RecordingFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    DeltaSinkWriter writer = new DeltaSinkWriter(config, config.tablePath(), new SinkContext("pipe", 0, 1, -1), conf, new DataFileMetrics());
    Set<Path> syncedDirs = ConcurrentHashMap.newKeySet();
    writer.directorySync(d -> syncedDirs.add(Path.of(d.toUri()).toAbsolutePath()));
    List<DeltaCommittable> staged;
    try (writer) {
      for (long i = 0; i < 100; i++) {
        writer.write(new Row(i, i % 2 == 0 ? "eu" : "us west", (int) (i % 3), "v" + i));
      }
      staged = writer.prepareCommit(1);
    }
    assertTrue(staged.size() > 6, "files: " + staged.size());
    Set<Path> expectedDirs = new java.util.HashSet<>();
    for (DeltaCommittable c : staged) {
      Path file = table.resolve(c.relativePath()).toAbsolutePath();
      Long synced = SYNCED_AT_CLOSE.get(file.toString());
      assertNotNull(synced, "not written through the recording file system: " + file);
      assertEquals(Files.size(file), synced.longValue(), "hsync before close covers the whole file: " + file);
      for (Path d = file.getParent(); d.startsWith(table.toAbsolutePath()); d = d.getParent()) {
        expectedDirs.add(d);
      }
    }
    assertTrue(syncedDirs.containsAll(expectedDirs), "synced " + syncedDirs + ", needed " + expectedDirs);
    // Each directory once per checkpoint: the table root, 2 regions, 2 x 3 days.
    assertEquals(9, syncedDirs.size(), syncedDirs.toString());
  }

  @Test
  void localDirectorySyncWorks() throws Exception {
    Path table = dir.resolve("local");
    Schema schema =
        new Schema(List.of(new Field("id", FieldType.LONG, false), new Field("p", FieldType.INT, true)));
    DeltaSinkConfig config =
        DeltaSinkConfig.builder(table.toString(), schema, "pipe/local").partitionColumns("p").build();
    try (DeltaSinkWriter writer =
        new DeltaSinkWriter(config, config.tablePath(), new SinkContext("pipe", 0, 1, -1), new Configuration(), new DataFileMetrics())) {
      writer.write(new Row(1L, 1));
      writer.write(new Row(2L, null));
      assertEquals(2, writer.prepareCommit(1).size());
    }
  }
}
