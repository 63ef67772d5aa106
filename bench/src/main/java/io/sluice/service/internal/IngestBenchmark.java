package io.sluice.service.internal;

import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;

/**
 * The ingest benchmark behind {@code bench/ingest.sh N [PARALLELISM] [CATALOG] [INTERVAL]}: loads
 * N synthetic JSON events into a fresh 8-partition topic on a local broker, then runs a bounded
 * pipeline into a fresh table in its own JVM (so its peak RSS is the pipeline's alone) and prints
 * records/s, MB/s, files, RSS and the commits' latency p50/p99 per phase. CATALOG is {@code
 * filesystem} (a table path) or {@code unity} (a Unity Catalog table on the embedded catalog
 * server, which runs in the pipeline's JVM); INTERVAL is the checkpoint (commit) interval.
 */
public final class IngestBenchmark {
  private static final long SEED = 42;
  private static final int PARTITIONS = 8;

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    long events = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 5_000_000;
    int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    String catalog = args.length > 2 ? args[2] : "filesystem";
    String interval = args.length > 3 ? args[3] : "10s";
    if (!catalog.equals("filesystem") && !catalog.equals("unity")) {
      throw new IllegalArgumentException("catalog: expected filesystem or unity, got '" + catalog + "'");
    }
    Path work = Files.createTempDirectory("sluice-bench-");
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(work.resolve("kafka"))) {
      broker.createTopic("bench", PARTITIONS);
      long produceStart = System.nanoTime();
      SyntheticEvents.produce(broker.bootstrapServers(), "bench", SEED, 0, events);
      double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
      long payloadBytes = payloadBytes(events);
      System.out.printf("bench: loaded %,d events (%,d bytes of JSON) in %.1f s%n", events, payloadBytes, produceSeconds);

      Path config = work.resolve("bench.yaml");
      boolean unity = catalog.equals("unity");
      String table = unity ? "main.bench.events" : work.resolve("table").toString();
      String sinkOptions = unity
          ? "catalog:\n  type: unity\n  uri: embedded\n  dir: " + work.resolve("catalog")
          : "";
      Files.writeString(config, SyntheticEventsPipeline.yaml("bench", broker.bootstrapServers(), "bench",
          true, parallelism, table, sinkOptions, interval, work.resolve("checkpoints"), ""));
      Path log = work.resolve("pipeline.log");
      long runStart = System.nanoTime();
      BenchmarkPipeline.Summary summary = BenchmarkPipeline.run(config, log);
      double wallSeconds = (System.nanoTime() - runStart) / 1e9;
      long records = summary.records();
      double seconds = summary.seconds();
      if (records != events) {
        throw new IllegalStateException("ingested " + records + " records, expected " + events);
      }
      System.out.printf("bench: ingested %,d records in %.2f s (process wall time %.2f s)%n", records, seconds, wallSeconds);
      System.out.printf("bench: %.0f records/s, %.1f MB/s of JSON, %d data files, peak RSS %s MiB, parallelism %d, %s table, checkpoints every %s%n",
          records / seconds, payloadBytes / seconds / 1e6,
          BenchmarkPipeline.dataFiles(work.resolve(unity ? "catalog" : "table")),
          summary.peakRssMiB(), parallelism, catalog, interval);
      Matcher commits = PipelineRun.COMMITS_LINE.matcher(Files.readString(log));
      if (commits.find()) {
        System.out.printf("bench: %s commits, latency p50/p99 ms: total %s/%s, staging %s/%s, catalog %s/%s, publishing %s/%s%n",
            commits.group(1), commits.group(3), commits.group(4), commits.group(5), commits.group(6),
            commits.group(7), commits.group(8), commits.group(9), commits.group(10));
      }
    } finally {
      BenchmarkPipeline.deleteRecursively(work);
    }
  }

  private static long payloadBytes(long events) {
    long bytes = 0;
    long ts = System.currentTimeMillis();
    for (long i = 0; i < events; i++) {
      bytes += SyntheticEvents.eventJson(SEED, i, ts).getBytes(StandardCharsets.UTF_8).length;
    }
    return bytes;
  }
}
