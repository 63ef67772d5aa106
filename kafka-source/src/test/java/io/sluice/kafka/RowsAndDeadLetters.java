package io.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertSame;

import io.sluice.engine.OutputTag;
import io.sluice.engine.row.Row;
import io.sluice.engine.source.Output;
import java.util.ArrayList;
import java.util.List;

/** A reader's output as a source task routes it: the rows, and the dead letters apart. */
public final class RowsAndDeadLetters implements Output<Row> {
  public final List<Row> rows = new ArrayList<>();
  public final List<Row> deadLetters = new ArrayList<>();

  @Override
  public void collect(Row row) {
    rows.add(row);
  }

  @Override
  public <X> void collect(OutputTag<X> tag, X record) {
    assertSame(DeadLetters.OUTPUT, tag);
    deadLetters.add((Row) record);
  }
}
