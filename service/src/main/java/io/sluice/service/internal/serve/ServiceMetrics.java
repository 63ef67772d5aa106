package io.sluice.service.internal.serve;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.catalog.CommitLatency;
import io.sluice.engine.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The service's metrics in Micrometer, scraped in the Prometheus text format: per pipeline (tag
 * {@code pipeline}) records and bytes in and out, lag in all and per partition, the last
 * checkpoint, a commit latency histogram, data files written and restarts; and the JVM's. A
 * removed pipeline's meters are removed with it.
 */
public final class ServiceMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<ManagedPipeline, List<Meter>> meters = new ConcurrentHashMap<>();
  private final Map<ManagedPipeline, MultiGauge> partitionLag = new ConcurrentHashMap<>();

  public ServiceMetrics() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Where a pipeline's commits report their latency: its histogram. */
  Consumer<CommitLatency> commitLatencyOf(String pipeline) {
    Timer timer = commitTimer(pipeline);
    return latency -> timer.record(latency.total());
  }

  private Timer commitTimer(String pipeline) {
    return Timer.builder("sluice.commit.latency")
        .description("time from loading the table to the published commit, per checkpoint")
        .tags("pipeline", pipeline)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(5))
        .maximumExpectedValue(Duration.ofMinutes(2))
        .register(registry);
  }

  void add(ManagedPipeline p) {
    Tags tags = Tags.of("pipeline", p.name());
    List<Meter> list = new ArrayList<>();
    list.add(counter("sluice.source.records", "records read from Kafka", tags, p,
        t -> t.totals().recordsRead()));
    list.add(counter("sluice.source.bytes", "key and value bytes read from Kafka", tags, p,
        t -> t.totals().bytesRead()));
    list.add(counter("sluice.sink.records.committed", "records in committed checkpoints", tags, p,
        t -> t.totals().recordsCommitted()));
    list.add(counter("sluice.sink.files.written", "Parquet data files written", tags, p,
        t -> t.totals().filesWritten()));
    list.add(counter("sluice.sink.bytes.written", "bytes of Parquet data files written", tags, p,
        t -> t.totals().bytesWritten()));
    list.add(counter("sluice.source.records.skipped", "malformed records skipped", tags, p,
        t -> t.totals().recordsSkipped()));
    list.add(counter("sluice.source.records.dead.lettered",
        "malformed records written to the dead-letter table", tags, p,
        t -> t.totals().recordsDeadLettered()));
    list.add(counter("sluice.restarts", "restarts after failures (engine and supervisor)", tags,
        p, ManagedPipeline::restarts));
    list.add(gauge("sluice.source.lag", "records behind the partitions' ends; NaN while unknown",
        tags, p, t -> t.lag().isPresent() ? t.lag().getAsLong() : Double.NaN));
    list.add(gauge("sluice.pipeline.running", "1 while the pipeline runs (or is paused)", tags,
        p, t -> t.state() == ManagedPipeline.State.RUNNING
            || t.state() == ManagedPipeline.State.PAUSED ? 1 : 0));
    list.add(gauge("sluice.checkpoint.id", "the last committed checkpoint", tags, p,
        t -> lastCheckpoint(t, s -> s.id())));
    list.add(gauge("sluice.checkpoint.duration.seconds", "the last checkpoint's duration", tags,
        p, t -> lastCheckpoint(t, s -> s.duration().toNanos() / 1e9)));
    list.add(gauge("sluice.checkpoint.state.bytes", "keyed state of the last checkpoint", tags, p,
        t -> lastCheckpoint(t, s -> s.stateBytes())));
    list.add(gauge("sluice.checkpoint.written.bytes", "keyed state written for the last checkpoint",
        tags, p, t -> lastCheckpoint(t, s -> s.writtenBytes())));
    list.add(commitTimer(p.name()));
    meters.put(p, list);
    partitionLag.put(p, MultiGauge.builder("sluice.source.partition.lag")
        .description("records behind the end of each partition").register(registry));
  }

  void remove(ManagedPipeline p) {
    List<Meter> list = meters.remove(p);
    if (list != null) {
      list.forEach(registry::remove);
    }
    MultiGauge lag = partitionLag.remove(p);
    if (lag != null) {
      lag.register(List.of(), true);
    }
  }

  /** The Prometheus text exposition of every meter, per-partition lag refreshed. */
  public String scrape() {
    partitionLag.forEach((p, gauge) -> gauge.register(p.partitionLag().entrySet().stream()
        .map(e -> MultiGauge.Row.of(
            Tags.of("pipeline", p.name(), "partition", String.valueOf(e.getKey())), e.getValue()))
        .toList(), true));
    return registry.scrape();
  }

  private static double lastCheckpoint(
      ManagedPipeline p, ToDoubleFunction<JobStatus.CheckpointStats> value) {
    return p.jobStatus().flatMap(JobStatus::lastCheckpoint).map(value::applyAsDouble)
        .orElse(Double.NaN);
  }

  private Meter counter(String name, String description, Tags tags, ManagedPipeline p,
      ToDoubleFunction<ManagedPipeline> value) {
    return FunctionCounter.builder(name, p, value).description(description).tags(tags)
        .register(registry);
  }

  private Meter gauge(String name, String description, Tags tags, ManagedPipeline p,
      ToDoubleFunction<ManagedPipeline> value) {
    return Gauge.builder(name, p, value).description(description).tags(tags).register(registry);
  }
}
