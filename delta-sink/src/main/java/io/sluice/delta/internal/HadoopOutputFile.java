package io.sluice.delta.internal;

import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Parquet {@link OutputFile} on a given Hadoop {@link FileSystem} instance (so that local tables
 * are written through the raw local file system, without {@code .crc} side files), which also
 * reports the bytes written and can sync the file to durable storage when it is closed.
 */
final class HadoopOutputFile implements OutputFile {
  private final FileSystem fs;
  private final Path path;
  private FSDataOutputStream stream;
  private boolean syncOnClose;

  HadoopOutputFile(FileSystem fs, Path path) {
    this.fs = fs;
    this.path = path;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return wrap(fs.create(path, false));
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    return wrap(fs.create(path, true));
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  @Override
  public String getPath() {
    return path.toString();
  }

  /**
   * Makes closing the file sync it first ({@code hsync}: fsync on the local file system, durable
   * on the datanodes on HDFS; streams without the capability only flush, object stores persist on
   * close).
   */
  void syncOnClose() {
    this.syncOnClose = true;
  }

  /** Bytes written so far (the file size once closed). */
  long position() throws IOException {
    return stream == null ? 0 : stream.getPos();
  }

  private PositionOutputStream wrap(FSDataOutputStream out) {
    this.stream = out;
    return new PositionOutputStream() {
      @Override
      public long getPos() throws IOException {
        return out.getPos();
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        if (syncOnClose) {
          out.hsync();
        }
        out.close();
      }
    };
  }
}
