package io.sluice.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.service.internal.BackfillRange;
import io.sluice.service.internal.BackfillRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code sluice backfill} refuses before it reaches a broker, and how it says so. */
class BackfillCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void pipelineFile() throws Exception {
    file = dir.resolve("orders.yaml");
    // No broker listens there: every refusal below comes before Kafka is asked anything.
    Files.writeString(file, """
        pipeline: orders
        source:
          bootstrap: 127.0.0.1:1
          topic: orders
        schema:
          id: string
        sink:
          table: %s
        checkpoint:
          dir: %s
        """.formatted(dir.resolve("table"), dir.resolve("checkpoints")));
  }

  private int sluice(String... args) {
    return Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
  }

  private void assertRefused(String expected, String... args) {
    String[] command = new String[args.length + 2];
    command[0] = "backfill";
    command[1] = file.toString();
    System.arraycopy(args, 0, command, 2, args.length);
    err.reset();
    assertEquals(2, sluice(command), err::toString);
    assertTrue(err.toString().contains(expected), () -> "'" + expected + "' in:\n" + err);
  }

  @Test
  void flagsAreCheckedAndNamed() {
    assertRefused("Missing required option: '--id=NAME'",
        "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z");
    assertRefused("Invalid value for option '--id': 'fix 1' is not a valid backfill id: use "
            + "letters, digits, '.', '_' or '-' (at most 128)",
        "--id", "fix 1", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z");
    assertRefused("Missing required argument (specify one of these): (--from=TIME | "
        + "--from-offsets=P:OFFSET[,P:OFFSET...])", "--id", "fix-1", "--to", "1000");
    assertRefused("--from=TIME, --from-offsets=P:OFFSET[,P:OFFSET...] are mutually exclusive",
        "--id", "fix-1", "--from", "1000", "--from-offsets", "0:5", "--to", "2000");
    assertRefused("Invalid value for option '--from': expected an ISO-8601 instant "
            + "(2026-01-31T00:00:00Z) or epoch milliseconds, got 'yesterday'",
        "--id", "fix-1", "--from", "yesterday", "--to", "2000");
    assertRefused("Invalid value for option '--to-offsets': expected "
            + "PARTITION:OFFSET[,PARTITION:OFFSET...] such as 0:1200,1:1180, got '0-5'",
        "--id", "fix-1", "--from", "1000", "--to-offsets", "0-5");
    assertRefused("sluice: --to (1970-01-01T00:00:01Z) must be after --from "
        + "(1970-01-01T00:00:02Z)", "--id", "fix-1", "--from", "2000", "--to", "1000");
    assertRefused("sluice: --to: 2999-01-01T00:00:00Z is in the future",
        "--id", "fix-1", "--from", "1000", "--to", "2999-01-01T00:00:00Z");
    assertFalse(Files.exists(dir.resolve("checkpoints")), "nothing created");
  }

  @Test
  void anotherRangeUnderARecordedIdIsRefused() {
    Path checkpoints = dir.resolve("checkpoints").resolve("backfill-fix-1");
    BackfillRange recorded = new BackfillRange(new BackfillRange.Bound.Time(1000),
        new BackfillRange.Bound.Time(2000));
    TreeMap<Integer, Long> offsets = new TreeMap<>(java.util.Map.of(0, 0L));
    new BackfillRecord("orders", "orders", recorded.describe(),
        new BackfillRange.Offsets(offsets, offsets)).write(checkpoints);

    assertRefused("sluice: backfill 'fix-1' cannot run over --from 1970-01-01T00:00:01Z --to "
            + "1970-01-01T00:00:03Z: its checkpoint directory " + checkpoints + " holds another "
            + "backfill (it covers --from 1970-01-01T00:00:01Z --to 1970-01-01T00:00:02Z, not "
            + "--from 1970-01-01T00:00:01Z --to 1970-01-01T00:00:03Z; see "
            + checkpoints.resolve(BackfillRecord.FILE) + "). A backfill id names one range of "
            + "one pipeline: give this range a new --id, or run the recorded one again.",
        "--id", "fix-1", "--from", "1000", "--to", "3000");

    Path elsewhere = dir.resolve("elsewhere");
    new BackfillRecord("payments", "orders", recorded.describe(),
        new BackfillRange.Offsets(offsets, offsets)).write(elsewhere);
    assertRefused("holds another backfill (it is a backfill of pipeline 'payments', not 'orders'",
        "--id", "fix-1", "--from", "1000", "--to", "2000", "--checkpoint-dir",
        elsewhere.toString());
  }

  @Test
  void helpDescribesTheCommand() {
    assertEquals(0, sluice("backfill", "--help"));
    for (String expected : new String[] {"<pipeline>/backfill-<NAME>", "--from=TIME",
        "--to-offsets=P:OFFSET[,P:OFFSET...]", "--checkpoint-dir=DIR", "final checkpoint"}) {
      assertTrue(out.toString().contains(expected), () -> "'" + expected + "' in:\n" + out);
    }
  }
}
