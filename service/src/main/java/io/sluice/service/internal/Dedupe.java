package io.sluice.service.internal;

import io.sluice.engine.function.KeyedProcessFunction;
import io.sluice.engine.function.KeyedRuntimeContext;
import io.sluice.engine.row.Row;
import io.sluice.engine.source.Output;
import io.sluice.engine.state.Serializers;
import io.sluice.engine.state.StateTtl;
import io.sluice.engine.state.ValueState;
import io.sluice.engine.state.ValueStateDescriptor;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code dedupe} transform: keeps the first record of each key and drops the others while the
 * key is remembered. A key is remembered for {@code within} after its record was kept (state
 * time-to-live, refreshed by writes only, so a steady stream of duplicates does not keep a key
 * alive forever).
 */
final class Dedupe extends KeyedProcessFunction<Row, Row, Row> {
  private final Duration within;
  private final LongAdder dropped;
  private ValueState<Boolean> seen;

  Dedupe(Duration within, LongAdder dropped) {
    this.within = within;
    this.dropped = dropped;
  }

  @Override
  public void open(KeyedRuntimeContext context) throws Exception {
    seen =
        context.state(
            new ValueStateDescriptor<>("seen", Serializers.booleans())
                .withTtl(StateTtl.of(within)));
  }

  @Override
  public void processElement(Row row, Context<Row> context, Output<Row> out) throws Exception {
    if (seen.value() == null) {
      seen.update(Boolean.TRUE);
      out.collect(row);
    } else {
      dropped.increment();
    }
  }
}
