package io.sluice.service;

import io.sluice.service.config.ConfigException;
import io.sluice.service.config.PipelineConfig;
import io.sluice.service.config.PipelineConfigLoader;
import io.sluice.service.internal.PipelineJob;
import io.sluice.service.internal.PipelineRun;
import io.sluice.service.internal.RunOptions;
import io.sluice.service.internal.TableSummary;
import io.sluice.service.config.StateBackendKind;
import io.sluice.service.config.Transform;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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
    subcommands = {Main.Run.class, Main.Validate.class, Main.Table.class})
public final class Main implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

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

    @Override
    public Integer call() {
      PipelineConfig config = main.load(file);
      if (config == null) {
        return 2;
      }
      RunOptions options = new RunOptions(fromSavepoint, savepointOnStop, allowNonRestoredState);
      return new PipelineRun(config, options, main.out, main.err).run();
    }
  }

  @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check the pipeline file and print what it resolves to.")
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
      out.println("  source: topic " + source.topic() + " at " + source.bootstrap()
          + ", parallelism " + source.parallelism() + (source.bounded() ? ", bounded" : "")
          + ", on missing offset: " + lower(source.onMissingOffset()));
      out.println("  schema: " + config.schema().fields().stream()
          .map(f -> f.name() + " " + lower(f.type()) + (f.nullable() ? "" : " not null"))
          .collect(Collectors.joining(", ")));
      for (Transform transform : config.transforms()) {
        Transform.Dedupe dedupe = (Transform.Dedupe) transform;
        out.println("  dedupe: by " + dedupe.key() + " within " + dedupe.within());
      }
      out.println("  sink:   " + config.sink().table() + " partitioned by "
          + config.sink().partitionBy() + ", txn appId " + PipelineJob.appId(config));
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

  @Command(name = "table", mixinStandardHelpOptions = true, description = "Show a Delta table's version, schema, files and rows.")
  static final class Table implements Callable<Integer> {
    @ParentCommand private Main main;

    @Parameters(paramLabel = "PATH", description = "the table's location")
    String table;

    @Override
    public Integer call() {
      try {
        return TableSummary.print(table, main.out, main.err) ? 0 : 1;
      } catch (IOException | RuntimeException e) {
        main.err.println("sluice: cannot read the table at " + table + ": " + e);
        return 1;
      }
    }
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
