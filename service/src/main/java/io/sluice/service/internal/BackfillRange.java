package io.sluice.service.internal;

import io.sluice.engine.config.ConfigOption;
import io.sluice.engine.config.OptionType;
import io.sluice.kafka.StartPosition;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * The range of topic records a backfill reads, as asked on the command line: where it starts
 * ({@code --from TIME} or {@code --from-offsets P:OFFSET,...}) and where it ends ({@code --to} or
 * {@code --to-offsets}), both exclusive of the end. A time stands for the first record at or after
 * it in each partition (Kafka's {@code offsetsForTimes}); with an offsets flag, only the partitions
 * it lists are read.
 */
public record BackfillRange(Bound from, Bound to) {

  /** One end of the range. */
  public sealed interface Bound {
    /** The first record at or after this time, in each partition. */
    record Time(long epochMillis) implements Bound {}

    /** Offsets of the partitions listed, by partition number. */
    record Offsets(SortedMap<Integer, Long> byPartition) implements Bound {
      public Offsets {
        byPartition = Collections.unmodifiableSortedMap(new TreeMap<>(byPartition));
      }
    }
  }

  /** A time of {@code --from} or {@code --to}, in epoch milliseconds. */
  public static final ConfigOption<Long> TIME = ConfigOption.key("time", OptionType.scalar(
          "an ISO-8601 instant (`2026-01-31T00:00:00Z`) or epoch milliseconds",
          StartPosition::epochMillis, millis -> Instant.ofEpochMilli(millis).toString()))
      .required()
      .doc("a time: the first record at or after it, in each partition");

  /** The offsets of {@code --from-offsets} or {@code --to-offsets}, by partition. */
  public static final ConfigOption<SortedMap<Integer, Long>> OFFSETS =
      ConfigOption.key("offsets", OptionType.scalar(
              "`P:OFFSET[,P:OFFSET...]` (partition number, offset)",
              BackfillRange::parseOffsets, BackfillRange::formatOffsets))
          .required()
          .doc("offsets of the partitions listed");

  /**
   * What a range resolved to: the next offset to read and the offset to stop before, of each
   * partition read.
   */
  public record Offsets(SortedMap<Integer, Long> start, SortedMap<Integer, Long> stop) {
    public Offsets {
      start = Collections.unmodifiableSortedMap(new TreeMap<>(start));
      stop = Collections.unmodifiableSortedMap(new TreeMap<>(stop));
      if (!start.keySet().equals(stop.keySet())) {
        throw new IllegalArgumentException("start and stop offsets of different partitions: "
            + start + ", " + stop);
      }
    }

    /** Records (offsets) in the range: the sum of stop - start over the partitions. */
    public long total() {
      return start.keySet().stream().mapToLong(p -> stop.get(p) - start.get(p)).sum();
    }

    /** Offsets of the range done when reading stands at {@code next} (partitions missing: none). */
    public long done(Map<Integer, Long> next) {
      long done = 0;
      for (Map.Entry<Integer, Long> e : start.entrySet()) {
        long position = next.getOrDefault(e.getKey(), e.getValue());
        done += Math.max(0, Math.min(position, stop.get(e.getKey())) - e.getValue());
      }
      return done;
    }
  }

  /**
   * Checks what needs no broker: {@code --to} after {@code --from}, neither in the future.
   *
   * @throws IllegalArgumentException naming the flag
   */
  public void check(long nowMillis) {
    for (Bound bound : new Bound[] {from, to}) {
      if (bound instanceof Bound.Time time && time.epochMillis() > nowMillis) {
        throw new IllegalArgumentException((bound == from ? "--from" : "--to") + ": " + format(time) + " is in the "
            + "future (now: " + Instant.ofEpochMilli(nowMillis) + "); a backfill reads records "
            + "already written, the live pipeline those to come");
      }
    }
    if (from instanceof Bound.Time start && to instanceof Bound.Time end
        && end.epochMillis() <= start.epochMillis()) {
      throw new IllegalArgumentException("--to (" + format(end) + ") must be after --from ("
          + format(start) + ")");
    }
  }

  /**
   * The offsets this range covers in a topic whose offsets are these now.
   *
   * @param earliest where each partition's log starts, by partition number
   * @param end where each partition ends now
   * @param offsetsForTime the first offset at or after a time, by partition; the end where none
   * @throws IllegalArgumentException naming the flag: a partition the topic does not have, an
   *     offset no longer in the log or beyond its end, a range that ends before it starts
   */
  public Offsets resolve(Map<Integer, Long> earliest, Map<Integer, Long> end,
      LongFunction<Map<Integer, Long>> offsetsForTime) {
    Set<Integer> partitions = new TreeSet<>();
    for (Bound bound : new Bound[] {from, to}) {
      if (bound instanceof Bound.Offsets listed) {
        for (int p : listed.byPartition().keySet()) {
          if (!end.containsKey(p)) {
            throw new IllegalArgumentException((bound == from ? fromFlag() : toFlag())
                + ": the topic has no partition " + p
                + " (it has partitions 0 to " + (end.size() - 1) + ")");
          }
        }
        partitions.addAll(listed.byPartition().keySet());
      }
    }
    if (partitions.isEmpty()) {
      partitions.addAll(end.keySet());
    }
    Map<Integer, Long> startTimes = from instanceof Bound.Time t
        ? offsetsForTime.apply(t.epochMillis()) : Map.of();
    Map<Integer, Long> stopTimes = to instanceof Bound.Time t
        ? offsetsForTime.apply(t.epochMillis()) : Map.of();
    SortedMap<Integer, Long> start = new TreeMap<>();
    SortedMap<Integer, Long> stop = new TreeMap<>();
    for (int p : partitions) {
      long logStart = earliest.get(p);
      long logEnd = end.get(p);
      long first = offsetOf(from, fromFlag(), p, startTimes, logStart, logEnd, logStart);
      long last = offsetOf(to, toFlag(), p, stopTimes, logStart, logEnd, logEnd);
      if (last < first) {
        throw new IllegalArgumentException("partition " + p + ": the range ends (" + toFlag()
            + ", offset " + last + ") before it starts (" + fromFlag() + ", offset " + first
            + ")");
      }
      start.put(p, first);
      stop.put(p, last);
    }
    return new Offsets(start, stop);
  }

  /**
   * Where {@code bound} puts partition {@code p}: at its time's offset, at its listed offset
   * (checked to be in the log), or, not listed, at {@code unlisted}.
   */
  private static long offsetOf(Bound bound, String flag, int p, Map<Integer, Long> byTime,
      long logStart, long logEnd, long unlisted) {
    if (bound instanceof Bound.Time) {
      return byTime.get(p);
    }
    Long offset = ((Bound.Offsets) bound).byPartition().get(p);
    if (offset == null) {
      return unlisted;
    }
    if (offset < logStart) {
      throw new IllegalArgumentException(flag + ": offset " + offset + " of partition " + p
          + " is no longer in the log, which starts at " + logStart);
    }
    if (offset > logEnd) {
      throw new IllegalArgumentException(flag + ": offset " + offset + " of partition " + p
          + " is beyond its end (" + logEnd + " now); a backfill reads records already written");
    }
    return offset;
  }

  private String fromFlag() {
    return "--from" + (from instanceof Bound.Offsets ? "-offsets" : "");
  }

  private String toFlag() {
    return "--to" + (to instanceof Bound.Offsets ? "-offsets" : "");
  }

  /** The range as flags: {@code --from 2026-01-31T00:00:00Z --to-offsets 0:100,1:120}. */
  public String describe() {
    return fromFlag() + " " + format(from) + " " + toFlag() + " " + format(to);
  }

  private static String format(Bound bound) {
    return bound instanceof Bound.Time t ? TIME.type().format(t.epochMillis())
        : OFFSETS.type().format(((Bound.Offsets) bound).byPartition());
  }

  /** {@code P:OFFSET[,P:OFFSET...]}, each partition once, numbers not negative. */
  static SortedMap<Integer, Long> parseOffsets(String text) {
    SortedMap<Integer, Long> offsets = new TreeMap<>();
    for (String item : text.split(",", -1)) {
      String[] parts = item.trim().split(":", -1);
      int partition;
      long offset;
      try {
        if (parts.length != 2) {
          throw new NumberFormatException();
        }
        partition = Integer.parseInt(parts[0].trim());
        offset = Long.parseLong(parts[1].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected PARTITION:OFFSET[,PARTITION:OFFSET...] such "
            + "as 0:1200,1:1180, got '" + item.trim() + "' in '" + text + "'");
      }
      if (partition < 0 || offset < 0) {
        throw new IllegalArgumentException("partitions and offsets are not negative, got '"
            + item.trim() + "'");
      }
      if (offsets.put(partition, offset) != null) {
        throw new IllegalArgumentException("partition " + partition + " is listed twice in '"
            + text + "'");
      }
    }
    return offsets;
  }

  static String formatOffsets(Map<Integer, Long> offsets) {
    return new TreeMap<>(offsets).entrySet().stream()
        .map(e -> e.getKey() + ":" + e.getValue())
        .collect(Collectors.joining(","));
  }
}
