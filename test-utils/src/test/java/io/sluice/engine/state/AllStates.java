package io.sluice.engine.state;

import io.sluice.engine.OutputTag;
import io.sluice.engine.function.KeyedProcessFunction;
import io.sluice.engine.function.KeyedRuntimeContext;
import io.sluice.engine.source.Output;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.TreeMap;

/**
 * A keyed function exercising every kind of state and timer through commands, reporting what it
 * sees as strings: {@code get} prints every state of the key, timers print when they fire.
 */
final class AllStates extends KeyedProcessFunction<String, AllStates.Cmd, String> {
  static final OutputTag<String> SIDE = new OutputTag<>("side");

  record Cmd(String key, String op, long value) {
    static Cmd of(String key, String op, long value) {
      return new Cmd(key, op, value);
    }
  }

  private final StateTtl ttl;
  private ValueState<Long> value;
  private ListState<Long> list;
  private MapState<String, Long> map;
  private ReducingState<Long> sum;
  private AggregatingState<Long, Double> average;

  AllStates() {
    this(null);
  }

  AllStates(StateTtl ttl) {
    this.ttl = ttl;
  }

  static AllStates withTtl(Duration d) {
    return new AllStates(StateTtl.of(d));
  }

  @Override
  public void open(KeyedRuntimeContext context) throws Exception {
    ValueStateDescriptor<Long> v = new ValueStateDescriptor<>("value", Serializers.longs());
    ListStateDescriptor<Long> l = new ListStateDescriptor<>("list", Serializers.longs());
    MapStateDescriptor<String, Long> m =
        new MapStateDescriptor<>("map", Serializers.string(), Serializers.longs());
    ReducingStateDescriptor<Long> r =
        new ReducingStateDescriptor<>("sum", Long::sum, Serializers.longs());
    AggregatingStateDescriptor<Long, long[], Double> a =
        new AggregatingStateDescriptor<>("average", new Average(), new PairSerializer());
    if (ttl != null) {
      v.withTtl(ttl);
      l.withTtl(ttl);
      m.withTtl(ttl);
      r.withTtl(ttl);
      a.withTtl(ttl);
    }
    value = context.state(v);
    list = context.listState(l);
    map = context.mapState(m);
    sum = context.reducingState(r);
    average = context.aggregatingState(a);
  }

  @Override
  public void processElement(Cmd cmd, Context<String> ctx, Output<String> out) throws Exception {
    switch (cmd.op()) {
      case "set" -> value.update(cmd.value());
      case "add" -> {
        list.add(cmd.value());
        map.put("m" + cmd.value(), cmd.value());
        sum.add(cmd.value());
        average.add(cmd.value());
      }
      case "remove" -> map.remove("m" + cmd.value());
      case "get" -> out.collect(describe(ctx.currentKey()));
      case "clear" -> {
        value.clear();
        list.clear();
        map.clear();
        sum.clear();
        average.clear();
      }
      case "timer" -> ctx.timerService().registerProcessingTimeTimer(cmd.value());
      case "event-timer" -> ctx.timerService().registerEventTimeTimer(cmd.value());
      case "delete-timer" -> ctx.timerService().deleteProcessingTimeTimer(cmd.value());
      case "side" -> ctx.output(SIDE, cmd.key() + ":" + cmd.value());
      default -> throw new IllegalArgumentException(cmd.op());
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext<String> ctx, Output<String> out)
      throws Exception {
    out.collect(ctx.currentKey() + " " + ctx.timeDomain() + " timer at " + timestamp);
  }

  private String describe(String key) throws Exception {
    return key + " value=" + value.value() + " list=" + list.get() + " map="
        + new TreeMap<>(map.entries()) + " sum=" + sum.get() + " average=" + average.get();
  }

  /** Average of longs; the accumulator is a mutable {sum, count} pair. */
  static final class Average implements AggregateFunction<Long, long[], Double> {
    @Override
    public long[] createAccumulator() {
      return new long[2];
    }

    @Override
    public long[] add(Long value, long[] acc) {
      acc[0] += value;
      acc[1]++;
      return acc;
    }

    @Override
    public Double result(long[] acc) {
      return (double) acc[0] / acc[1];
    }
  }

  /** Serializes the accumulator; copies it, since the function changes it in place. */
  static final class PairSerializer implements Serializer<long[]> {
    @Override
    public void serialize(long[] value, DataOutput out) throws IOException {
      out.writeLong(value[0]);
      out.writeLong(value[1]);
    }

    @Override
    public long[] deserialize(DataInput in) throws IOException {
      return new long[] {in.readLong(), in.readLong()};
    }

    @Override
    public long[] copy(long[] value) {
      return value.clone();
    }
  }
}
