package io.sluice.service.internal;

import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The dedupe benchmark behind {@code bench/dedupe.sh N [heap|rocksdb] [PARALLELISM]}: loads N
 * distinct synthetic events and N/4 re-sent duplicates (same event id, another partition) into a
 * fresh 8-partition topic on a local broker, runs a bounded pipeline deduplicating by event id
 * into a fresh table in its own JVM, and prints input records/s, the duplicates dropped, the keyed
 * state and checkpoint sizes and durations, and the pipeline's peak RSS.
 */
public final class DedupeBenchmark {
  private static final long SEED = 43;
  private static final int PARTITIONS = 8;
  private static final int DUPLICATE_STRIDE = 4;

  private DedupeBenchmark() {}

  public static void main(String[] args) throws Exception {
    long events = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000;
    String backend = args.length > 1 ? args[1] : "heap";
    int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    String interval = System.getenv().getOrDefault("CHECKPOINT_INTERVAL", "10s");
    long duplicates = (events + DUPLICATE_STRIDE - 1) / DUPLICATE_STRIDE;
    Path work = Files.createTempDirectory("sluice-bench-dedupe-");
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(work.resolve("kafka"))) {
      String bootstrap = broker.bootstrapServers();
      broker.createTopic("bench", PARTITIONS);
      long produceStart = System.nanoTime();
      SyntheticEvents.produce(bootstrap, "bench", SEED, 0, events);
      SyntheticEvents.resend(bootstrap, "bench", SEED, 0, events, DUPLICATE_STRIDE);
      System.out.printf("bench: loaded %,d events and %,d duplicates in %.1f s%n",
          events, duplicates, (System.nanoTime() - produceStart) / 1e9);

      Path config = work.resolve("bench.yaml");
      String sections = """
          transforms:
            - dedupe:
                key: [event_id]
                within: 24h
          state:
            backend: %s
            dir: %s
          """.formatted(backend, work.resolve("state"));
      Files.writeString(config, SyntheticEventsPipeline.yaml("bench", bootstrap, "bench", true,
          parallelism, work.resolve("table").toString(), "", interval, work.resolve("checkpoints"), sections));
      Path log = work.resolve("pipeline.log");
      BenchmarkPipeline.Summary summary = BenchmarkPipeline.run(config, log);
      if (summary.records() != events || summary.duplicatesDropped() != duplicates) {
        throw new IllegalStateException("wrote " + summary.records() + " records and dropped "
            + summary.duplicatesDropped() + ", expected " + events + " and " + duplicates);
      }
      double seconds = summary.seconds();
      System.out.printf("bench: %,d records in (%,d duplicates dropped), %,d written in %.2f s%n",
          events + duplicates, duplicates, events, seconds);
      System.out.printf("bench: %.0f input records/s, peak RSS %d MiB, state backend %s,"
              + " parallelism %d, JVM options %s%n",
          (events + duplicates) / seconds, summary.peakRssMiB(), backend, parallelism,
          BenchmarkPipeline.javaOptions());
      report(BenchmarkPipeline.checkpoints(log));
    } finally {
      BenchmarkPipeline.deleteRecursively(work);
    }
  }

  private static void report(List<BenchmarkPipeline.Checkpoint> checkpoints) {
    if (checkpoints.isEmpty()) {
      System.out.println("bench: no checkpoint held keyed state");
      return;
    }
    System.out.println("bench: checkpoints with keyed state (id, duration, state, written):");
    for (BenchmarkPipeline.Checkpoint c : checkpoints) {
      System.out.printf("bench:   %d  %,d ms  %.1f MiB  %.1f MiB%n",
          c.id(), c.millis(), c.stateMiB(), c.writtenMiB());
    }
    BenchmarkPipeline.Checkpoint last = checkpoints.get(checkpoints.size() - 1);
    System.out.printf("bench: final keyed state %.1f MiB over %d checkpoints%n",
        last.stateMiB(), checkpoints.size());
  }
}
