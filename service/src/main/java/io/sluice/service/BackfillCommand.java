package io.sluice.service;

import io.sluice.service.config.PipelineConfig;
import io.sluice.service.internal.BackfillRange;
import io.sluice.service.internal.BackfillRun;
import io.sluice.service.internal.CommandLineValue;
import io.sluice.service.internal.RunOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code sluice backfill FILE --id NAME --from T1 --to T2}: see docs/backfills.md. */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description = {
        "Run the pipeline bounded over a past range of its topic into its table, beside the live "
            + "pipeline: under the txn appId <pipeline>/backfill-<NAME>, with checkpoints of its "
            + "own. The range is resolved to offsets at the first start and recorded in the "
            + "checkpoint directory: running the same backfill again continues a stopped one and "
            + "adds nothing once it finished. SIGINT/SIGTERM stop it with a final checkpoint.",
        "A progress bar on a terminal, otherwise a progress line every --progress-interval."
    },
    sortOptions = false)
final class BackfillCommand implements Callable<Integer> {
  @ParentCommand private Main main;

  @Parameters(paramLabel = "FILE", description = "the live pipeline's file")
  Path file;

  @Option(
      names = "--id",
      required = true,
      paramLabel = "NAME",
      converter = Id.class,
      description = "the backfill's id: letters, digits, '.', '_', '-'; one id, one range")
  String id;

  @ArgGroup(exclusive = true, multiplicity = "1")
  From from;

  @ArgGroup(exclusive = true, multiplicity = "1")
  To to;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      description = "the backfill's checkpoint directory (default: backfill-<NAME> in the "
          + "pipeline's checkpoint.dir)")
  Path checkpointDir;

  @Option(
      names = "--progress-interval",
      paramLabel = "DURATION",
      converter = Main.ProgressIntervalConverter.class,
      description = "time between two progress lines when not on a terminal (default: 10s)")
  Duration progressInterval = RunOptions.PROGRESS_INTERVAL.defaultValue();

  @Option(
      names = "--stop-timeout",
      paramLabel = "DURATION",
      description = "on SIGINT/SIGTERM the backfill stops with a final checkpoint and commit, "
          + "which its next run continues from; after this long (default 60s) it is cancelled "
          + "instead, and its next run re-reads the range after its last checkpoint",
      converter = Main.StopTimeoutConverter.class)
  Duration stopTimeout = RunOptions.STOP_TIMEOUT.defaultValue();

  static final class From {
    @Option(
        names = "--from",
        paramLabel = "TIME",
        converter = Time.class,
        description = "start at the first record at or after TIME in each partition: an "
            + "ISO-8601 instant (2026-01-31T00:00:00Z) or epoch milliseconds")
    BackfillRange.Bound time;

    @Option(
        names = "--from-offsets",
        paramLabel = "P:OFFSET[,P:OFFSET...]",
        converter = Offsets.class,
        description = "start at these offsets; only the partitions listed here or in "
            + "--to-offsets are read (a partition not listed here from the start of its log)")
    BackfillRange.Bound offsets;

    BackfillRange.Bound bound() {
      return time != null ? time : offsets;
    }
  }

  static final class To {
    @Option(
        names = "--to",
        paramLabel = "TIME",
        converter = Time.class,
        description = "end before the first record at or after TIME in each partition (its end "
            + "offset at the first start where there is none); after --from, not in the future")
    BackfillRange.Bound time;

    @Option(
        names = "--to-offsets",
        paramLabel = "P:OFFSET[,P:OFFSET...]",
        converter = Offsets.class,
        description = "end before these offsets; only the partitions listed here or in "
            + "--from-offsets are read (a partition not listed here up to its end offset at the "
            + "first start)")
    BackfillRange.Bound offsets;

    BackfillRange.Bound bound() {
      return time != null ? time : offsets;
    }
  }

  static final class Id implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String text) throws Exception {
      return CommandLineValue.converter(BackfillRun.ID).convert(text);
    }
  }

  static final class Time implements CommandLine.ITypeConverter<BackfillRange.Bound> {
    @Override
    public BackfillRange.Bound convert(String text) throws Exception {
      return new BackfillRange.Bound.Time(
          CommandLineValue.converter(BackfillRange.TIME).convert(text));
    }
  }

  static final class Offsets implements CommandLine.ITypeConverter<BackfillRange.Bound> {
    @Override
    public BackfillRange.Bound convert(String text) throws Exception {
      return new BackfillRange.Bound.Offsets(
          CommandLineValue.converter(BackfillRange.OFFSETS).convert(text));
    }
  }

  @Override
  public Integer call() {
    PipelineConfig config = main.load(file);
    if (config == null) {
      return 2;
    }
    BackfillRun.Request request = new BackfillRun.Request(id,
        new BackfillRange(from.bound(), to.bound()), checkpointDir, progressInterval, stopTimeout,
        System.console() != null);
    return new BackfillRun(config, request, main.out, main.err).run();
  }
}
