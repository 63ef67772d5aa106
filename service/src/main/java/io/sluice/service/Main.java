package io.sluice.service;

import io.sluice.service.config.ConfigException;
import io.sluice.service.config.PipelineConfig;
import io.sluice.service.config.PipelineConfigLoader;
import io.sluice.service.internal.PipelineJob;
import io.sluice.service.internal.PipelineRun;
import io.sluice.service.internal.TableSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The {@code sluice} command line. Exit codes: 0 success, 1 the pipeline failed, 2 bad usage or an
 * invalid pipeline file.
 */
public final class Main {
  private static final String USAGE = """
      usage: sluice <command> ARGUMENT
        run FILE       run the pipeline until stopped (Ctrl-C), or until the end offsets when bounded
        validate FILE  check the pipeline file and print what it resolves to
        table PATH     show a Delta table's version, schema, files and rows
      """;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 2) {
      err.print(USAGE);
      return 2;
    }
    if (args[0].equals("table")) {
      try {
        return TableSummary.print(args[1], out, err) ? 0 : 1;
      } catch (IOException | RuntimeException e) {
        err.println("sluice: cannot read the table at " + args[1] + ": " + e);
        return 1;
      }
    }
    PipelineConfig config;
    try {
      config = PipelineConfigLoader.withSystemEnvironment().load(Path.of(args[1]));
    } catch (ConfigException e) {
      err.println("sluice: " + e.getMessage());
      return 2;
    }
    switch (args[0]) {
      case "validate":
        out.println(args[1] + ": valid pipeline '" + config.id() + "'");
        out.println("  source: topic " + config.source().topic() + " at " + config.source().bootstrap()
            + ", parallelism " + config.source().parallelism() + (config.source().bounded() ? ", bounded" : "")
            + ", on missing offset: " + config.source().onMissingOffset().name().toLowerCase(java.util.Locale.ROOT));
        out.println("  schema: " + config.schema().fields().stream()
            .map(f -> f.name() + " " + f.type().name().toLowerCase(java.util.Locale.ROOT) + (f.nullable() ? "" : " not null"))
            .collect(java.util.stream.Collectors.joining(", ")));
        out.println("  sink:   " + config.sink().table() + " partitioned by " + config.sink().partitionBy()
            + ", txn appId " + PipelineJob.appId(config));
        out.println("  checkpoints every " + config.checkpoint().interval().toMillis() + " ms in " + config.checkpoint().directory());
        return 0;
      case "run":
        return new PipelineRun(config, out, err).run();
      default:
        err.print("sluice: unknown command '" + args[0] + "'\n" + USAGE);
        return 2;
    }
  }
}
