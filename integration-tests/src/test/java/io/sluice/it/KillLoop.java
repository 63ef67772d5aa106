package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.exceptions.TableNotFoundException;
import io.sluice.catalog.TableCommitException;
import io.sluice.testing.DeltaTableReader;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * The SIGKILL loop of the crash tests: a streaming pipeline process is started and killed again and
 * again, while a producer keeps writing events, so every kill lands in the middle of ingestion.
 * Each run must first commit something new (so every restart is proven to make progress), then is
 * killed at a random moment of its checkpoint cycle.
 */
final class KillLoop {
  private KillLoop() {}

  /**
   * Produces events {@code [from, to)} chunk by chunk with {@code produceChunkFrom}, pausing {@code
   * pauseMillis} after each while the kills go on, then at full speed.
   */
  static final class LateProducer implements AutoCloseable {
    private final AtomicBoolean killing = new AtomicBoolean(true);
    private final Thread thread;

    LateProducer(long from, long to, long chunk, long pauseMillis, LongConsumer produceChunkFrom) {
      thread = new Thread(() -> {
        for (long start = from; start < to; start += chunk) {
          produceChunkFrom.accept(start);
          if (killing.get()) {
            sleep(pauseMillis);
          }
        }
      }, "late-producer");
      thread.start();
    }

    boolean isAlive() {
      return thread.isAlive();
    }

    /** Stops pausing and waits until everything is produced. */
    @Override
    public void close() throws InterruptedException {
      killing.set(false);
      thread.join();
    }
  }

  /** Runs {@code args} (a streaming run) {@code kills} times, each killed with SIGKILL. */
  static void killRepeatedly(
      Path dir, DeltaTableReader reader, int kills, Random random, LateProducer producer,
      String... args)
      throws Exception {
    for (int attempt = 0; attempt < kills; attempt++) {
      long before = Math.max(tableVersion(reader), 0); // version 0 only creates the table
      PipelineProcess pipeline = PipelineProcess.start(dir.resolve("run-" + attempt + ".log"), args);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (tableVersion(reader) <= before) {
        assertTrue(pipeline.isAlive(), () -> "pipeline died on its own:\n" + tail(pipeline));
        assertTrue(System.nanoTime() < deadline, () -> "no commit within 90 s:\n" + tail(pipeline));
        Thread.sleep(50);
      }
      long extraMillis = random.nextInt(2_000);
      Thread.sleep(extraMillis);
      assertTrue(pipeline.isAlive(), () -> "pipeline died on its own:\n" + tail(pipeline));
      assertTrue(producer.isAlive(), "events are still arriving when the pipeline is killed");
      pipeline.kill();
      System.out.printf("SIGKILL %d, %d ms after its first commit: table version %d (was %d)%n",
          attempt + 1, extraMillis, tableVersion(reader), before);
    }
  }

  /** The table's version, or -1 before the first run created it. */
  static long tableVersion(DeltaTableReader reader) {
    try {
      return reader.snapshot().getVersion();
    } catch (TableNotFoundException e) {
      return -1; // not created yet, or its _delta_log directory exists but holds no commit yet
    } catch (TableCommitException e) {
      return -1; // its catalog does not know it yet
    }
  }

  static String tail(PipelineProcess p) {
    try {
      return p.logTail();
    } catch (Exception e) {
      return "(no log: " + e + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
