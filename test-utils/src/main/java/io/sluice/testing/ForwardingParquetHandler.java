package io.sluice.testing;

import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.engine.ParquetHandler;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** A Parquet handler that passes every call to a real one; tests override what they script. */
public class ForwardingParquetHandler implements ParquetHandler {
  protected final ParquetHandler real;

  public ForwardingParquetHandler(ParquetHandler real) {
    this.real = real;
  }

  @Override
  public CloseableIterator<FileReadResult> readParquetFiles(
      CloseableIterator<FileStatus> files, StructType schema, Optional<Predicate> predicate)
      throws IOException {
    return real.readParquetFiles(files, schema, predicate);
  }

  @Override
  public CloseableIterator<DataFileStatus> writeParquetFiles(
      String directory, CloseableIterator<FilteredColumnarBatch> data, List<Column> stats)
      throws IOException {
    return real.writeParquetFiles(directory, data, stats);
  }

  @Override
  public void writeParquetFileAtomically(
      String path, CloseableIterator<FilteredColumnarBatch> data) throws IOException {
    real.writeParquetFileAtomically(path, data);
  }
}
