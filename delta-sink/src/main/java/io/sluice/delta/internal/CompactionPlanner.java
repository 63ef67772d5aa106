package io.sluice.delta.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which small files a compaction rewrites together: bins of files of one partition, at most the
 * target file size each, two or more files a bin. Pure: the caller lists the files and rewrites
 * the bins.
 *
 * <p>{@link #tiered}, after commits: files smaller than the small-file size are grouped by size
 * into tiers a factor of {@code minFiles} apart ({@code [small/m, small)}, {@code [small/m²,
 * small/m)}...), and a tier is compacted once it holds {@code minFiles} files of a partition. The
 * result of {@code m} files of one tier is about {@code m} times as large, so it lands in the next
 * tier up: a row is rewritten about {@code log_m(small-file size / ingested file size)} times, not
 * once per compaction, and a partition keeps fewer than {@code m} files per tier.
 *
 * <p>{@link #all}, on demand: every small file of a partition is packed at once.
 */
public final class CompactionPlanner {
  private CompactionPlanner() {}

  /** A live data file: its path in the log, partition values and size. */
  public record File(String path, Map<String, String> partition, long size) {}

  /** Files of one partition to rewrite as one. */
  public record Bin(Map<String, String> partition, List<File> files) {
    public long bytes() {
      return files.stream().mapToLong(File::size).sum();
    }
  }

  /**
   * The bins of the tiers that hold at least {@code minFiles} files smaller than {@code smallFile}
   * in a partition, the smallest files' tiers first.
   */
  public static List<Bin> tiered(
      List<File> files, long targetFileSize, long smallFile, int minFiles) {
    // tier -> partition -> files; higher tiers hold smaller files
    TreeMap<Integer, Map<Map<String, String>, List<File>>> tiers =
        new TreeMap<>(Comparator.reverseOrder());
    for (File f : files) {
      if (f.size() < smallFile) {
        tiers.computeIfAbsent(tier(f.size(), smallFile, minFiles), t -> new LinkedHashMap<>())
            .computeIfAbsent(f.partition(), p -> new ArrayList<>())
            .add(f);
      }
    }
    List<Bin> bins = new ArrayList<>();
    for (Map<Map<String, String>, List<File>> byPartition : tiers.values()) {
      byPartition.forEach((partition, group) -> {
        if (group.size() >= minFiles) {
          bins.addAll(pack(partition, group, targetFileSize));
        }
      });
    }
    return bins;
  }

  /** The bins of all files smaller than {@code smallFile}, per partition. */
  static List<Bin> all(List<File> files, long targetFileSize, long smallFile) {
    Map<Map<String, String>, List<File>> byPartition = new LinkedHashMap<>();
    for (File f : files) {
      if (f.size() < smallFile) {
        byPartition.computeIfAbsent(f.partition(), p -> new ArrayList<>()).add(f);
      }
    }
    List<Bin> bins = new ArrayList<>();
    byPartition.forEach((partition, group) -> bins.addAll(pack(partition, group, targetFileSize)));
    return bins;
  }

  /** The first bins, in order, that fit in {@code maxBytes}; always the first, however large. */
  static List<Bin> withinBudget(List<Bin> bins, long maxBytes) {
    List<Bin> taken = new ArrayList<>();
    long bytes = 0;
    for (Bin bin : bins) {
      if (!taken.isEmpty() && bytes + bin.bytes() > maxBytes) {
        break;
      }
      taken.add(bin);
      bytes += bin.bytes();
    }
    return taken;
  }

  /** {@code t} for a size in {@code [smallFile/m^(t+1), smallFile/m^t)}. */
  static int tier(long size, long smallFile, int minFiles) {
    int tier = 0;
    for (long bound = smallFile / minFiles; bound > 0 && size < bound; bound /= minFiles) {
      tier++;
    }
    return tier;
  }

  /** First-fit decreasing into bins of at most the target size; bins of one file are dropped. */
  private static List<Bin> pack(Map<String, String> partition, List<File> group, long target) {
    List<File> bySize = new ArrayList<>(group);
    bySize.sort(Comparator.comparingLong(File::size).reversed().thenComparing(File::path));
    List<List<File>> bins = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    for (File f : bySize) {
      int fit = 0;
      while (fit < bins.size() && sizes.get(fit) + f.size() > target) {
        fit++;
      }
      if (fit == bins.size()) {
        bins.add(new ArrayList<>());
        sizes.add(0L);
      }
      bins.get(fit).add(f);
      sizes.set(fit, sizes.get(fit) + f.size());
    }
    return bins.stream().filter(b -> b.size() > 1).map(b -> new Bin(partition, b)).toList();
  }
}
