package io.sluice.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.commit.CommitFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The no-hard-link fallback of {@link PutIfAbsentCommitter}. */
class PutIfAbsentCommitterTest {
  @TempDir Path dir;

  @Test
  void fallbackLockOutlivesAPublish() throws Exception {
    Path log = Files.createDirectories(dir.resolve("_delta_log"));
    Path v1 = log.resolve(String.format("%020d.json", 1));
    Object lock = PutIfAbsentCommitter.fallbackLock(v1);
    // A thread waiting on the lock must find the same lock as any later thread: a publish must
    // not drop it from the map.
    PutIfAbsentCommitter.publishLocalWithoutHardLink(
        Files.writeString(log.resolve(".t1.tmp"), "one"), v1, 1, new UnsupportedOperationException());
    assertSame(lock, PutIfAbsentCommitter.fallbackLock(v1));
    // One lock per table (log directory), whatever the version.
    assertSame(lock, PutIfAbsentCommitter.fallbackLock(log.resolve(String.format("%020d.json", 2))));
  }

  @Test
  void racingFallbackPublishesOfOneVersionHaveOneWinner() throws Exception {
    Path log = Files.createDirectories(dir.resolve("_delta_log"));
    int threads = 8;
    for (int round = 0; round < 20; round++) {
      Path target = log.resolve(String.format("%020d.json", round));
      CyclicBarrier start = new CyclicBarrier(threads);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<String>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String content = "writer-" + t;
        Path temp = Files.writeString(log.resolve(".r" + round + "-" + t + ".tmp"), content);
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    PutIfAbsentCommitter.publishLocalWithoutHardLink(
                        temp, target, 1, new UnsupportedOperationException());
                    return content;
                  } catch (CommitFailedException e) {
                    assertTrue(e.isConflict() && e.isRetryable(), e.toString());
                    return null;
                  }
                }));
      }
      List<String> winners = new ArrayList<>();
      for (Future<String> f : results) {
        String w = f.get(30, TimeUnit.SECONDS);
        if (w != null) {
          winners.add(w);
        }
      }
      pool.shutdown();
      assertEquals(1, winners.size(), "winners: " + winners);
      assertEquals(winners.get(0), Files.readString(target));
    }
  }
}
