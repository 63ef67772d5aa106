package io.sluice.engine.internal.runtime;

import io.sluice.engine.function.FilterFunction;
import io.sluice.engine.function.FlatMapFunction;
import io.sluice.engine.function.MapFunction;
import io.sluice.engine.internal.Sneaky;
import io.sluice.engine.internal.graph.OperatorSpec;
import io.sluice.engine.source.Output;
import java.util.List;

/** Builds a stage's chained operators as nested {@link Output}s ending in a tail. */
public final class Chains {
  private Chains() {}

  public static Output<Object> build(List<OperatorSpec> operators, Output<Object> tail) {
    Output<Object> next = tail;
    for (int i = operators.size() - 1; i >= 0; i--) {
      OperatorSpec op = operators.get(i);
      if (op instanceof OperatorSpec.Map m) {
        next = new MapOutput(m.fn(), next);
      } else if (op instanceof OperatorSpec.Filter f) {
        next = new FilterOutput(f.fn(), next);
      } else if (op instanceof OperatorSpec.FlatMap fm) {
        next = new FlatMapOutput(fm.fn(), next);
      } else {
        throw new IllegalArgumentException("unknown operator " + op);
      }
    }
    return next;
  }

  static final class MapOutput implements Output<Object> {
    private final MapFunction<Object, Object> fn;
    private final Output<Object> next;

    MapOutput(MapFunction<Object, Object> fn, Output<Object> next) {
      this.fn = fn;
      this.next = next;
    }

    @Override
    public void collect(Object record) {
      Object out;
      try {
        out = fn.map(record);
      } catch (Exception e) {
        throw Sneaky.raise(e);
      }
      next.collect(out);
    }
  }

  static final class FilterOutput implements Output<Object> {
    private final FilterFunction<Object> fn;
    private final Output<Object> next;

    FilterOutput(FilterFunction<Object> fn, Output<Object> next) {
      this.fn = fn;
      this.next = next;
    }

    @Override
    public void collect(Object record) {
      boolean keep;
      try {
        keep = fn.filter(record);
      } catch (Exception e) {
        throw Sneaky.raise(e);
      }
      if (keep) {
        next.collect(record);
      }
    }
  }

  static final class FlatMapOutput implements Output<Object> {
    private final FlatMapFunction<Object, Object> fn;
    private final Output<Object> next;

    FlatMapOutput(FlatMapFunction<Object, Object> fn, Output<Object> next) {
      this.fn = fn;
      this.next = next;
    }

    @Override
    public void collect(Object record) {
      try {
        fn.flatMap(record, next);
      } catch (Exception e) {
        throw Sneaky.raise(e);
      }
    }
  }
}
