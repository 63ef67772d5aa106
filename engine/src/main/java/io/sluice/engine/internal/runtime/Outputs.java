package io.sluice.engine.internal.runtime;

import io.sluice.engine.OutputTag;
import io.sluice.engine.internal.Sneaky;
import io.sluice.engine.internal.exchange.ExchangeOutput;
import io.sluice.engine.internal.operators.OperatorOutput;
import io.sluice.engine.internal.operators.StreamOperator;
import io.sluice.engine.source.Output;
import java.util.List;
import java.util.Map;

/** The ways an operator's output reaches its consumers inside a task. */
final class Outputs {
  private Outputs() {}

  static final Output<Object> DISCARD = record -> {};

  /** One output for several consumers: none discards, one is used as is. */
  static Output<Object> combine(List<Output<Object>> outputs) {
    if (outputs.isEmpty()) {
      return DISCARD;
    }
    if (outputs.size() == 1) {
      return outputs.get(0);
    }
    Output<Object>[] all = outputs.toArray(Output[]::new);
    return record -> {
      for (Output<Object> o : all) {
        o.collect(record);
      }
    };
  }

  /** A chained operator: the record is processed right away, in the same thread. */
  static Output<Object> chained(StreamOperator operator) {
    return record -> {
      try {
        operator.processElement(record);
      } catch (Exception e) {
        throw Sneaky.raise(e);
      }
    };
  }

  /** The producer side of an exchange. */
  static Output<Object> exchange(ExchangeOutput exchange) {
    return record -> {
      try {
        exchange.emit(record);
      } catch (InterruptedException e) {
        throw Sneaky.raise(e);
      }
    };
  }

  /** Main output and side outputs by tag; records of a side output nobody reads are dropped. */
  static OperatorOutput routing(Output<Object> main, Map<OutputTag<?>, Output<Object>> sides) {
    return new OperatorOutput() {
      @Override
      public void collect(Object record) {
        main.collect(record);
      }

      @Override
      public <X> void collect(OutputTag<X> tag, X record) {
        Output<Object> side = sides.get(tag);
        if (side != null) {
          side.collect(record);
        }
      }
    };
  }
}
