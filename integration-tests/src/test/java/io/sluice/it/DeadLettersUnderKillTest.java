package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.localkafka.LocalKafkaBroker;
import io.sluice.localkafka.SyntheticEvents;
import io.sluice.localkafka.junit.LocalKafkaExtension;
import io.sluice.service.internal.SyntheticEventsPipeline;
import io.sluice.testing.DeltaTableReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dead-letter proof: 200,000 events, every 100th malformed (by turns not JSON, a value of the
 * wrong type, a required field missing), ingested with {@code on-error: dead-letter} while the
 * pipeline process is killed with SIGKILL at random moments and restarted, then a bounded last
 * run. The table's rows (by event id) and the dead letters (by topic, partition and offset, their
 * raw value parsed back to the event it was) together are exactly the produced records, none
 * twice: dead letters are committed with the same checkpoints as the rows.
 */
@ExtendWith(LocalKafkaExtension.class)
class DeadLettersUnderKillTest {
  private static final int EVENTS = 200_000;
  private static final int MALFORMED_EVERY = 100;
  private static final int EARLY_EVENTS = 40_000;
  private static final int CHUNK = 1_000;
  private static final int KILLS = 4;
  private static final long SEED = 20261127L;
  private static final String PIPELINE = "dead-letter-pipeline";
  private static final String TOPIC = "dead-letters-under-kill";
  private static final Pattern TS = Pattern.compile("\"ts\":(\\d+)");

  @Test
  void theRowsAndTheDeadLettersAreExactlyTheProducedRecordsDespiteRepeatedSigkill(
      LocalKafkaBroker broker, @TempDir Path dir) throws Exception {
    String bootstrap = broker.bootstrapServers();
    broker.createTopic(TOPIC, 4);
    SyntheticEvents.produceWithMalformed(bootstrap, TOPIC, SEED, 0, EARLY_EVENTS, MALFORMED_EVERY);
    DeltaTableReader table = new DeltaTableReader(dir.resolve("table").toString());
    try (KillLoop.LateProducer producer = new KillLoop.LateProducer(EARLY_EVENTS, EVENTS, CHUNK, 600,
        from -> SyntheticEvents.produceWithMalformed(
            bootstrap, TOPIC, SEED, from, Math.min(CHUNK, EVENTS - from), MALFORMED_EVERY))) {
      KillLoop.killRepeatedly(dir, table, KILLS, new Random(SEED), producer,
          "run", pipelineFile(dir, bootstrap, false).toString());
    }
    PipelineProcess last = PipelineProcess.start(dir.resolve("final.log"),
        "run", pipelineFile(dir, bootstrap, true).toString());
    assertEquals(0, last.awaitExit(180), () -> "final run failed:\n" + KillLoop.tail(last));

    BitSet seen = new BitSet(EVENTS);
    List<Object[]> rows = table.read(List.of("event_id"));
    for (Object[] row : rows) {
      UUID id = UUID.fromString((String) row[0]);
      record(seen, id, "row");
      assertTrue(!SyntheticEvents.isMalformed(id.getLeastSignificantBits(), MALFORMED_EVERY),
          "a malformed event in the table: " + id);
    }
    DeltaTableReader deadLetters = new DeltaTableReader(dir.resolve("table_dead_letters").toString());
    List<Object[]> letters =
        deadLetters.read(List.of("key", "value", "topic", "partition", "offset", "pipeline"));
    Set<String> positions = new HashSet<>();
    for (Object[] letter : letters) {
      assertTrue(positions.add(letter[2] + "/" + letter[3] + "/" + letter[4]),
          "a record dead-lettered twice: " + List.of(letter[2], letter[3], letter[4]));
      UUID id = UUID.fromString(new String((byte[]) letter[0], StandardCharsets.UTF_8));
      long index = id.getLeastSignificantBits();
      String value = new String((byte[]) letter[1], StandardCharsets.UTF_8);
      Matcher ts = TS.matcher(value);
      assertEquals(SyntheticEvents.malformedJson(SEED, index, ts.find() ? Long.parseLong(ts.group(1)) : 0,
          MALFORMED_EVERY), value, "the raw value of event " + index);
      assertEquals(List.of(TOPIC, SyntheticEvents.partitionOf(index, 4), PIPELINE),
          List.of(letter[2], letter[3], letter[5]));
      record(seen, id, "dead letter");
    }
    System.out.printf("%d rows and %d dead letters; table version %d, dead-letter table version %d%n",
        rows.size(), letters.size(), table.snapshot().getVersion(), deadLetters.snapshot().getVersion());
    assertEquals(EVENTS / MALFORMED_EVERY, letters.size(), "dead letters");
    assertEquals(EVENTS, rows.size() + letters.size(), "rows and dead letters");
    assertEquals(EVENTS, seen.cardinality(), "every event once");
    assertTrue(deadLetters.transactionVersion(PIPELINE + "/dead-letters").isPresent());
  }

  /** Marks the event {@code id} of this test's generator as found, once. */
  private static void record(BitSet seen, UUID id, String as) {
    long index = id.getLeastSignificantBits();
    assertEquals(SEED, id.getMostSignificantBits(), "an event of another generator: " + id);
    assertTrue(index >= 0 && index < EVENTS, "an event never produced: " + id);
    assertTrue(!seen.get((int) index), "event " + index + " twice (now as a " + as + ")");
    seen.set((int) index);
  }

  private static Path pipelineFile(Path dir, String bootstrap, boolean bounded) throws Exception {
    Path file = dir.resolve(bounded ? "bounded.yaml" : "streaming.yaml");
    Files.writeString(file, SyntheticEventsPipeline.yaml(PIPELINE, bootstrap, TOPIC, bounded, 2,
        "on-error: dead-letter", dir.resolve("table").toString(), "target-file-size: 1MB", "700ms",
        dir.resolve("checkpoints"), ""));
    return file;
  }
}
