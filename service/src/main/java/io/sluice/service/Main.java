package io.sluice.service;

import io.sluice.catalog.UnityCatalogConfig;
import io.sluice.catalogserver.CatalogServer;
import io.sluice.engine.config.ConfigValue;
import io.sluice.kafka.KafkaSourceOptions;
import io.sluice.service.config.CatalogOptions;
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
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    @Option(
        names = "--progress-interval",
        paramLabel = "DURATION",
        description = "time between two progress lines (checkpoint, records read, lag), such as "
            + "10s (the default) or 1m",
        converter = ProgressIntervalConverter.class)
    Duration progressInterval = RunOptions.PROGRESS_INTERVAL.defaultValue();

    @Override
    public Integer call() {
      PipelineConfig config = main.load(file);
      if (config == null) {
        return 2;
      }
      RunOptions options = new RunOptions(
          fromSavepoint, savepointOnStop, allowNonRestoredState, progressInterval);
      return new PipelineRun(config, options, main.out, main.err).run();
    }
  }

  /** Reads {@code --progress-interval} as a pipeline file reads a duration, with its checks. */
  static final class ProgressIntervalConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
      return RunOptions.PROGRESS_INTERVAL.read(new ConfigValue() {
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
          + ", on missing offset: " + lower(source.onMissingOffset()));
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
    /** The environment variable holding the bearer token sent to the catalog. */
    static final String TOKEN_VARIABLE = "UC_TOKEN";

    @ParentCommand private Main main;

    @Parameters(
        paramLabel = "TABLE",
        description = "the table's path or URI; with --catalog its name, catalog.schema.table")
    String table;

    @Option(
        names = "--catalog",
        paramLabel = "URI|embedded",
        description = "read the table through the Unity Catalog at URI (bearer token from the "
            + "environment variable " + TOKEN_VARIABLE + "), or through the embedded server's state"
            + " in --catalog-dir; while a pipeline runs that server, give the URI it printed")
    String catalog;

    @Option(
        names = "--catalog-dir",
        paramLabel = "DIR",
        description = "with --catalog embedded: the embedded server's directory (default: "
            + "data/catalog, as sink.catalog.dir)")
    Path catalogDir;

    @Override
    public Integer call() {
      if (catalogDir != null && !PipelineConfig.EMBEDDED.equals(catalog)) {
        main.err.println("sluice: --catalog-dir goes with --catalog embedded");
        return 2;
      }
      if (catalog != null) {
        try {
          CatalogOptions.URI.validate(catalog);
        } catch (IllegalArgumentException e) {
          // the message is "uri: <problem>"
          main.err.println("sluice: --catalog: "
              + e.getMessage().substring(CatalogOptions.URI.key().length() + 2));
          return 2;
        }
      }
      try {
        return summary() ? 0 : 1;
      } catch (IOException | RuntimeException e) {
        main.err.println("sluice: cannot read the table " + table + ": " + e);
        return 1;
      }
    }

    private boolean summary() throws IOException {
      if (catalog == null) {
        return TableSummary.print(table, main.out, main.err);
      }
      String token = System.getenv().getOrDefault(TOKEN_VARIABLE, "");
      if (!catalog.equals(PipelineConfig.EMBEDDED)) {
        return TableSummary.print(new UnityCatalogConfig(URI.create(catalog), token), table, main.out, main.err);
      }
      Path dir = catalogDir != null ? catalogDir : CatalogOptions.DIR.defaultValue();
      if (!CatalogServer.holdsCatalog(dir)) {
        main.err.println("sluice: " + dir + " holds no embedded catalog (a pipeline with "
            + "sink.catalog.uri: embedded and sink.catalog.dir: " + dir + " creates it)");
        return false;
      }
      CatalogServer.Builder embedded = CatalogServer.builder(dir.toAbsolutePath().normalize());
      if (!token.isEmpty()) {
        embedded.token(token);
      }
      CatalogServer server;
      try {
        server = embedded.start();
      } catch (IOException e) {
        main.err.println("sluice: " + e.getMessage() + "; while a pipeline runs it, read through "
            + "that server: --catalog with the URI the run printed");
        return false;
      }
      try (server) {
        return TableSummary.print(new UnityCatalogConfig(server.uri(), token), table, main.out, main.err);
      }
    }
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
