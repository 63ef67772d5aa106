package io.sluice.delta.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.delta.internal.CompactionPlanner.Bin;
import io.sluice.delta.internal.CompactionPlanner.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactionPlannerTest {
  private static final long MB = 1 << 20;
  private static final Map<String, String> A = Map.of("p", "a");
  private static final Map<String, String> B = Map.of("p", "b");

  private static List<File> files(Map<String, String> partition, int count, long size) {
    List<File> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      files.add(new File(partition + "/" + size + "-" + i, partition, size));
    }
    return files;
  }

  private static List<File> concat(List<File> a, List<File> b) {
    List<File> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void tiersAreAFactorOfMinFilesApartBelowTheSmallFileSize() {
    long small = 64 * MB;
    assertEquals(0, CompactionPlanner.tier(63 * MB, small, 10));
    assertEquals(0, CompactionPlanner.tier(small / 10, small, 10));
    assertEquals(1, CompactionPlanner.tier(small / 10 - 1, small, 10));
    assertEquals(1, CompactionPlanner.tier(small / 100, small, 10));
    assertEquals(2, CompactionPlanner.tier(small / 100 - 1, small, 10));
    assertEquals(7, CompactionPlanner.tier(1, small, 10));
    assertEquals(7, CompactionPlanner.tier(0, small, 10), "the last tier holds all below");
  }

  @Test
  void aTierIsCompactedOnceAPartitionHasMinFilesOfIt() {
    // a: 9 files of 10 KB (one short), 10 of 1 MB; b: 10 files of 10 KB. 70 MB files are not small.
    List<File> files = concat(concat(files(A, 9, 10_000), files(A, 10, MB)),
        concat(files(B, 10, 10_000), files(A, 3, 70 * MB)));
    List<Bin> bins = CompactionPlanner.tiered(files, 128 * MB, 64 * MB, 10);
    assertEquals(2, bins.size());
    // The tier of the smallest files comes first.
    assertEquals(B, bins.get(0).partition());
    assertEquals(10, bins.get(0).files().size());
    assertTrue(bins.get(0).files().stream().allMatch(f -> f.size() == 10_000));
    assertEquals(A, bins.get(1).partition());
    assertEquals(10, bins.get(1).files().size());
    assertTrue(bins.get(1).files().stream().allMatch(f -> f.size() == MB));
  }

  @Test
  void aCompactedTierLandsInTheNextTierUp() {
    long small = 64 * MB;
    long ingested = 10_000;
    int tier = CompactionPlanner.tier(ingested, small, 10);
    assertEquals(tier - 1, CompactionPlanner.tier(10 * ingested, small, 10));
  }

  @Test
  void binsHoldAtMostTheTargetSizeAndTwoFilesOrMore() {
    // 7 files of 40 MB under a 100 MB target: bins of 2, 2, 2; the seventh alone is left.
    List<Bin> bins = CompactionPlanner.all(files(A, 7, 40 * MB), 100 * MB, 64 * MB);
    assertEquals(List.of(2, 2, 2), bins.stream().map(b -> b.files().size()).toList());
    assertTrue(bins.stream().allMatch(b -> b.bytes() <= 100 * MB));
    // First fit decreasing fills bins with the small ones around the large.
    bins = CompactionPlanner.all(
        concat(files(A, 2, 60 * MB), files(A, 8, 10 * MB)), 100 * MB, 64 * MB);
    assertEquals(List.of(100 * MB, 100 * MB), bins.stream().map(Bin::bytes).toList());
  }

  @Test
  void allPacksEveryPartitionsSmallFilesAtOnce() {
    List<Bin> bins = CompactionPlanner.all(
        concat(concat(files(A, 3, 10_000), files(A, 2, 30 * MB)), files(B, 1, 10_000)),
        128 * MB, 64 * MB);
    assertEquals(1, bins.size(), "b has a single small file: nothing to pack");
    assertEquals(5, bins.get(0).files().size());
  }

  @Test
  void aRoundTakesBinsUpToTheBudgetButAlwaysOne() {
    List<Bin> bins = CompactionPlanner.all(
        concat(files(A, 4, 40 * MB), files(B, 4, 40 * MB)), 80 * MB, 64 * MB);
    assertEquals(4, bins.size());
    assertEquals(2, CompactionPlanner.withinBudget(bins, 200 * MB).size());
    assertEquals(1, CompactionPlanner.withinBudget(bins, MB).size());
  }
}
