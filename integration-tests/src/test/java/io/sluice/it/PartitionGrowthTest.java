package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.engine.JobHandle;
import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.config.PipelineConfig;
import io.sluice.service.config.PipelineConfigLoader;
import io.sluice.service.internal.PipelineJob;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.testing.DeltaTableReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A topic grows from 2 to 5 partitions under a running pipeline: the events produced into all
 * five arrive in the table without a restart, each once. A restart afterwards restores the new
 * partitions' offsets from the checkpoint: it reads only what was produced since.
 */
@ExtendWith(LocalKafkaExtension.class)
class PartitionGrowthTest {
  private static final long SEED = 20261128L;
  private static final String TOPIC = "growing-topic";

  @Test
  void partitionsAddedWhileRunningAreIngestedExactlyOnceAndRestored(LocalKafkaBroker broker,
      @TempDir Path dir) throws Exception {
    String bootstrap = broker.bootstrapServers();
    broker.createTopic(TOPIC, 2);
    SyntheticEvents.produce(bootstrap, TOPIC, SEED, 0, 2_000);
    String table = dir.resolve("table").toString();
    PipelineConfig config = new PipelineConfigLoader(name -> null).parse("growth.yaml",
        SyntheticEventsPipeline.yaml("growth-pipeline", bootstrap, TOPIC, false, 2, table, "",
            "500ms", dir.resolve("checkpoints"), "")
            .replace("  parallelism: 2\n", "  parallelism: 2\n  partition-discovery-interval: 1s\n"));
    DeltaTableReader reader = new DeltaTableReader(table);

    JobHandle first = PipelineJob.create(config, bootstrap).environment().start();
    awaitRows(reader, 2_000, first);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        (Object) bootstrap))) {
      admin.createPartitions(Map.of(TOPIC, NewPartitions.increaseTo(5))).all()
          .get(30, TimeUnit.SECONDS);
    }
    SyntheticEvents.produce(bootstrap, TOPIC, SEED, 2_000, 5_000); // event i to partition i mod 5
    awaitRows(reader, 7_000, first);
    first.stop();
    first.await();
    TableContents.assertEachEventOnce(reader, 7_000, SEED);

    SyntheticEvents.produce(bootstrap, TOPIC, SEED, 7_000, 1_000);
    PipelineJob restarted = PipelineJob.create(config, bootstrap);
    JobHandle second = restarted.environment().start();
    awaitRows(reader, 8_000, second);
    assertEquals(1_000, restarted.source().metrics().recordsRead(),
        "the restored offsets of all five partitions: only the new events are read");
    second.stop();
    second.await();
    TableContents.assertEachEventOnce(reader, 8_000, SEED);
  }

  private static void awaitRows(DeltaTableReader reader, int rows, JobHandle job)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (KillLoop.tableVersion(reader) < 0 || reader.read(List.of("event_id")).size() < rows) {
      assertTrue(job.isRunning(), "the job is running");
      assertTrue(System.nanoTime() < deadline, "no " + rows + " rows within 60 s");
      Thread.sleep(200);
    }
  }
}
