package io.sluice.service;

import io.sluice.catalog.HadoopConfigurations;
import io.sluice.catalog.TableCommitException;
import io.sluice.delta.CompactionResult;
import io.sluice.delta.DeltaSinkConfig;
import io.sluice.delta.DeltaSinkOptions;
import io.sluice.delta.TableMaintenance;
import io.sluice.delta.VacuumResult;
import io.sluice.engine.config.ConfigOption;
import io.sluice.engine.config.OptionType;
import io.sluice.engine.config.ConfigValue;
import io.sluice.kafka.KafkaSourceOptions;
import io.sluice.service.config.ConfigException;
import io.sluice.service.config.PipelineConfig;
import io.sluice.service.config.PipelineConfigLoader;
import io.sluice.service.internal.CommandLineValue;
import io.sluice.service.internal.PipelineJob;
import io.sluice.service.internal.PipelineRun;
import io.sluice.service.internal.RunOptions;
import io.sluice.service.internal.TableSummary;
import io.sluice.service.config.StateBackendKind;
import io.sluice.service.config.Transform;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The {@code sluice} command line (picocli). Exit codes: 0 success, 1 the pipeline failed, 2 bad
 * usage or an invalid pipeline file.
 */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    version = "sluice 0.1.0-SNAPSHOT",
    description = "Exactly-once ingestion of Kafka topics into Delta Lake tables.",
    subcommands = {
      Main.Run.class, ServeCommand.class, BackfillCommand.class, Main.Validate.class,
      Main.Table.class, Main.Compact.class, Main.Vacuum.class
    })
public final class Main implements Callable<Integer> {
  final PrintStream out;
  final PrintStream err;

  private Main(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new Main(out, err));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli.execute(args);
  }

  /** {@code sluice} alone: the usage. */
  @Override
  public Integer call() {
    new CommandLine(this).usage(err);
    return 2;
  }

  /** The pipeline file, or null after reporting why it is invalid. */
  PipelineConfig load(Path file) {
    try {
      return PipelineConfigLoader.withSystemEnvironment().load(file);
    } catch (ConfigException e) {
      err.println("sluice: " + e.getMessage());
      return null;
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Run the pipeline until stopped (Ctrl-C, SIGTERM), or, when bounded, until "
          + "the end offsets seen at start are ingested.")
  static final class Run implements Callable<Integer> {
    @ParentCommand private Main main;

    @Parameters(paramLabel = "FILE", description = "the pipeline file")
    Path file;

    @Option(
        names = "--savepoint-on-stop",
        paramLabel = "DIR",
        description = "on SIGINT/SIGTERM, stop with a savepoint in DIR (must not exist or be "
            + "empty): a last checkpoint is committed and written to DIR, then the run exits")
    Path savepointOnStop;

    @Option(
        names = "--from-savepoint",
        paramLabel = "DIR",
        description = "start from the savepoint (or a retained checkpoint's chk-N directory) in "
            + "DIR, at any parallelism and with either state backend; a newer checkpoint in the "
            + "pipeline's checkpoint directory wins (the savepoint was already applied)")
    Path fromSavepoint;

    @Option(
        names = "--allow-non-restored-state",
        description = "start even if the restored state holds keyed state of a transform the "
            + "pipeline no longer has (that state is dropped)")
    boolean allowNonRestoredState;

    @Option(
        names = "--progress-interval",
        paramLabel = "DURATION",
        description = "time between two progress lines (checkpoint, records read, lag), such as "
            + "10s (the default) or 1m",
        converter = ProgressIntervalConverter.class)
    Duration progressInterval = RunOptions.PROGRESS_INTERVAL.defaultValue();

    @Option(
        names = "--stop-timeout",
        paramLabel = "DURATION",
        description = "on SIGINT/SIGTERM the pipeline stops with a final checkpoint and commit, "
            + "so the next start re-reads nothing; after this long (default 60s) it is cancelled "
            + "instead, and its data after the last checkpoint is re-read on the next start",
        converter = StopTimeoutConverter.class)
    Duration stopTimeout = RunOptions.STOP_TIMEOUT.defaultValue();

    @Override
    public Integer call() {
      PipelineConfig config = main.load(file);
      if (config == null) {
        return 2;
      }
      RunOptions options = new RunOptions(
          fromSavepoint, savepointOnStop, allowNonRestoredState, progressInterval, stopTimeout);
      return new PipelineRun(config, options, main.out, main.err).run();
    }
  }

  /** Reads a duration flag as a pipeline file reads a duration, with its option's checks. */
  abstract static class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private final ConfigOption<Duration> option;

    DurationConverter(ConfigOption<Duration> option) {
      this.option = option;
    }

    @Override
    public Duration convert(String text) {
      return option.read(new ConfigValue() {
        @Override
        public String text() {
          return text;
        }

        @Override
        public List<? extends ConfigValue> items() {
          throw error("expected a duration");
        }

        @Override
        public Map<String, ? extends ConfigValue> entries() {
          throw error("expected a duration");
        }

        @Override
        public RuntimeException error(String problem) {
          return new CommandLine.TypeConversionException(problem);
        }
      });
    }
  }

  /** {@code --progress-interval}. */
  static final class ProgressIntervalConverter extends DurationConverter {
    ProgressIntervalConverter() {
      super(RunOptions.PROGRESS_INTERVAL);
    }
  }

  /** {@code --stop-timeout}. */
  static final class StopTimeoutConverter extends DurationConverter {
    StopTimeoutConverter() {
      super(RunOptions.STOP_TIMEOUT);
    }
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = "Check the pipeline file and print what it resolves to. Offline: `run` checks "
          + "the topic on the brokers before it creates anything.")
  static final class Validate implements Callable<Integer> {
    @ParentCommand private Main main;

    @Parameters(paramLabel = "FILE", description = "the pipeline file")
    Path file;

    @Override
    public Integer call() {
      PipelineConfig config = main.load(file);
      if (config == null) {
        return 2;
      }
      PrintStream out = main.out;
      PipelineConfig.Source source = config.source();
      out.println(file + ": valid pipeline '" + config.id() + "'");
      Duration discovery = source.partitionDiscoveryInterval();
      out.println("  source: topic " + source.topic() + " at " + source.bootstrap()
          + ", parallelism " + source.parallelism() + (source.bounded() ? ", bounded"
              : ", new partitions " + (discovery.isZero() ? "at start only" : "looked for every "
                  + KafkaSourceOptions.PARTITION_DISCOVERY_INTERVAL.type().format(discovery)))
          + ", on missing offset: " + lower(source.onMissingOffset()) + ", on error: "
          + KafkaSourceOptions.ON_ERROR.type().format(source.onError()));
      out.println("  schema: " + config.schema().fields().stream()
          .map(f -> f.name() + " " + lower(f.type()) + (f.nullable() ? "" : " not null"))
          .collect(Collectors.joining(", ")));
      for (Transform transform : config.transforms()) {
        Transform.Dedupe dedupe = (Transform.Dedupe) transform;
        out.println("  dedupe: by " + dedupe.key() + " within " + dedupe.within());
      }
      PipelineConfig.Sink sink = config.sink();
      out.println("  sink:   " + sink.table() + " partitioned by " + sink.partitionBy()
          + ", txn appId " + PipelineJob.appId(config));
      out.println("  table:  " + describe(sink.catalog())
          + (sink.create() ? ", created if absent" : ", must exist (create: false)"));
      sink.deadLetterTable().ifPresent(table -> out.println("  dead letters: " + table
          + ", created if absent, txn appId " + PipelineJob.deadLetterAppId(config)));
      DeltaSinkConfig.Compaction compaction = sink.compaction();
      out.println("  compaction: " + (!compaction.enabled() ? "off"
          : !(sink.catalog() instanceof PipelineConfig.Catalog.FileSystem)
              ? "off (the table is catalog-managed: the Delta protocol leaves it to the catalog)"
              : "tiers of " + compaction.minFiles() + " files smaller than "
                  + OptionType.size().format(compaction.smallFileSizeBytes()) + ", at most "
                  + OptionType.size().format(compaction.maxBytes()) + " per commit"));
      out.println("  checkpoints every " + config.checkpoint().interval().toMillis() + " ms in "
          + config.checkpoint().directory());
      if (!config.transforms().isEmpty()) {
        PipelineConfig.State state = config.state();
        out.println("  state:  " + lower(state.backend())
            + (state.backend() == StateBackendKind.ROCKSDB
                ? " in " + state.directory() + " with " + state.rocksDbMemoryBytes() / (1 << 20)
                    + " MiB of memory"
                : "")
            + ", " + state.maxParallelism() + " key groups");
      }
      return 0;
    }
  }

  @Command(
      name = "table",
      mixinStandardHelpOptions = true,
      description = "Show a Delta table's version, schema, files and rows: the table at a path, "
          + "or with --catalog a Unity Catalog table by name, read through the catalog.")
  static final class Table implements Callable<Integer> {
    @ParentCommand private Main main;

    @Mixin TableTarget target;

    @Override
    public Integer call() {
      return target.run(main.err, "read", (client, byName) ->
          TableSummary.print(client, byName, main.out, main.err) ? 0 : 1);
    }
  }

  @Command(
      name = "compact",
      mixinStandardHelpOptions = true,
      description = "Compact a Delta table's small files: in each partition, the files smaller "
          + "than half the target size are rewritten into files of up to that size, in commits "
          + "that remove them and add the result (dataChange=false). Safe while pipelines write "
          + "to the table. The files removed stay until sluice vacuum deletes them.")
  static final class Compact implements Callable<Integer> {
    @ParentCommand private Main main;

    @Mixin TableTarget target;

    @Option(
        names = "--where",
        paramLabel = "COLUMN=VALUE",
        description = "only the partition with this value of a partition column, such as "
            + "event_type=click; repeat for several columns")
    Map<String, String> partition = new LinkedHashMap<>();

    @Option(
        names = "--target-file-size",
        paramLabel = "SIZE",
        converter = TargetFileSize.class,
        description = "the size of the files written, such as 128MB (the default)")
    long targetFileSize = DeltaSinkOptions.TARGET_FILE_SIZE.defaultValue();

    static final class TargetFileSize implements CommandLine.ITypeConverter<Long> {
      @Override
      public Long convert(String text) throws Exception {
        return CommandLineValue.converter(DeltaSinkOptions.TARGET_FILE_SIZE).convert(text);
      }
    }

    @Override
    public Integer call() {
      return target.run(main.err, "compact", (client, byName) -> {
        CompactionResult result;
        try {
          result = TableMaintenance.compact(
              client, HadoopConfigurations.create(Map.of()), targetFileSize, partition);
        } catch (TableCommitException e) {
          main.err.println("sluice: " + e.getMessage());
          return 1;
        }
        if (!result.compacted()) {
          main.out.println("sluice: nothing to compact in " + client.tableName()
              + (partition.isEmpty() ? "" : " where " + partition)
              + ": no partition has two or more files smaller than "
              + OptionType.size().format(targetFileSize / 2));
          return 0;
        }
        main.out.printf("sluice: compacted %s: %d small files (%s) into %d (%s), %d rows;"
                + " table version %d%n",
            client.tableName(), result.filesRemoved(), mib(result.bytesRemoved()),
            result.filesAdded(), mib(result.bytesAdded()), result.rows(),
            result.tableVersion().getAsLong());
        return 0;
      });
    }
  }

  @Command(
      name = "vacuum",
      mixinStandardHelpOptions = true,
      description = "Delete a Delta table's data files that no version within the retention "
          + "references: older than the retention, not in the latest version and not removed "
          + "since. Files a pipeline may still commit are kept.")
  static final class Vacuum implements Callable<Integer> {
    private static final ConfigOption<Duration> RETAIN =
        ConfigOption.key("retain", OptionType.duration())
            .optional("the table's delta.deletedFileRetentionDuration")
            .doc("how far back versions stay readable");

    @ParentCommand private Main main;

    @Mixin TableTarget target;

    @Option(
        names = "--retain",
        paramLabel = "DURATION",
        converter = Retention.class,
        description = "keep every version of this last while readable, such as 7d (default: the"
            + " table's delta.deletedFileRetentionDuration, 7d unless set); at least 1h")
    Duration retain;

    @Option(
        names = "--force",
        description = "accept a retention shorter than the table's delta.deletedFileRetentionDuration")
    boolean force;

    @Option(names = "--dry-run", description = "list the files that would be deleted; delete nothing")
    boolean dryRun;

    static final class Retention implements CommandLine.ITypeConverter<Duration> {
      @Override
      public Duration convert(String text) throws Exception {
        return CommandLineValue.converter(RETAIN).convert(text);
      }
    }

    @Override
    public Integer call() {
      return target.run(main.err, "vacuum", (client, byName) -> {
        VacuumResult result;
        try {
          result = TableMaintenance.vacuum(client, HadoopConfigurations.create(Map.of()),
              retain != null ? retain : TableMaintenance.deletedFileRetention(client), force, dryRun);
        } catch (IllegalArgumentException e) {
          main.err.println("sluice: " + e.getMessage());
          return 2;
        } catch (TableCommitException e) {
          main.err.println("sluice: " + e.getMessage());
          return 1;
        }
        if (dryRun) {
          result.deleted().forEach(file -> main.out.println("would delete " + file));
        }
        main.out.printf("sluice: %s %s: %d files (%s) no version since %s references%s%n",
            dryRun ? "dry run of vacuum of" : "vacuumed", client.tableName(),
            result.deleted().size(), mib(result.bytesDeleted()), result.cutoff(),
            dryRun ? " would be deleted" : " deleted");
        if (result.keptForPipelines() > 0) {
          main.out.println("sluice: kept " + result.keptForPipelines() + " older files a pipeline"
              + " may still commit (of checkpoints the table does not record as committed)");
        }
        return 0;
      });
    }
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  private static String describe(PipelineConfig.Catalog catalog) {
    if (catalog instanceof PipelineConfig.Catalog.Unity unity) {
      return "Unity Catalog at " + unity.uri() + tokenNote(unity.token());
    }
    if (catalog instanceof PipelineConfig.Catalog.EmbeddedUnity embedded) {
      return "embedded Unity Catalog server in " + embedded.directory() + tokenNote(embedded.token());
    }
    return "filesystem";
  }

  /** Whether a token is set; never the token. */
  private static String tokenNote(String token) {
    return token.isEmpty() ? " (no token)" : " (bearer token set)";
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
