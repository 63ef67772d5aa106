package io.sluice.delta.internal;

import io.delta.kernel.types.StructType;
import io.sluice.delta.DeltaCommittable;
import io.sluice.engine.row.Row;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

/** One Parquet data file being written for one partition value. */
final class OpenDataFile {
  private static final int SIZE_CHECK_MASK = 63; // check the file size every 64 rows

  private final FileSystem fs;
  private final Path path;
  private final String relativePath;
  private final Map<String, String> partitionValues;
  private final RowWriteSupport support;
  private final HadoopOutputFile output;
  private final ParquetWriter<Row> writer;
  /** The writer's row count when this file's first row arrived (waiting rows count from theirs). */
  final long firstRowAt;
  /** The writer's map key of this file (null when unpartitioned). */
  Object key;

  OpenDataFile(
      FileSystem fs,
      Path path,
      String relativePath,
      Map<String, String> partitionValues,
      RowWriteSupport support,
      Configuration conf,
      long rowGroupSize,
      long firstRowAt)
      throws IOException {
    this.fs = fs;
    this.path = path;
    this.relativePath = relativePath;
    this.partitionValues = partitionValues;
    this.support = support;
    this.output = new HadoopOutputFile(fs, path);
    this.firstRowAt = firstRowAt;
    this.writer =
        new Builder(output, support)
            .withConf(conf)
            .withWriteMode(ParquetFileWriter.Mode.CREATE)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withRowGroupSize(rowGroupSize)
            .withDictionaryEncoding(true)
            .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
            .withValidation(false)
            .build();
  }

  void write(Row row) throws IOException {
    writer.write(row);
  }

  long rows() {
    return support.rowCount();
  }

  /**
   * Whether the file is full: it holds {@code maxRows} rows (0: no limit), or, checked every 64
   * rows, its estimated size reached {@code targetSize}.
   */
  boolean full(long targetSize, long maxRows) {
    long rows = rows();
    return (maxRows > 0 && rows >= maxRows)
        || ((rows & SIZE_CHECK_MASK) == 0 && estimatedSize() >= targetSize);
  }

  /** Estimated file size: bytes flushed plus bytes buffered for the current row group. */
  long estimatedSize() {
    return writer.getDataSize();
  }

  /** Writes the footer, syncs the file to durable storage and describes it. */
  DeltaCommittable close(StructType dataSchema) throws IOException {
    output.syncOnClose();
    writer.close();
    long size = output.position();
    String stats = support.statistics().serializeAsJson(dataSchema);
    return new DeltaCommittable(
        relativePath, size, System.currentTimeMillis(), partitionValues, support.rowCount(), stats);
  }

  /** Abandons the file: closes it and deletes it (best effort). */
  void abort() {
    try {
      writer.close();
    } catch (IOException | RuntimeException e) {
      // the file is abandoned either way
    }
    try {
      fs.delete(path, false);
    } catch (IOException e) {
      // left for discardUncommitted
    }
  }

  String relativePath() {
    return relativePath;
  }

  private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
    private final WriteSupport<Row> support;

    Builder(OutputFile file, WriteSupport<Row> support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Row> getWriteSupport(Configuration conf) {
      return support;
    }
  }
}
