package io.sluice.service.internal;

import io.sluice.engine.UnrecoverableException;
import io.sluice.kafka.KafkaSourceOptions;
import io.sluice.kafka.KafkaTopicCheckException;
import io.sluice.service.config.PipelineConfig;
import io.sluice.service.config.PipelineOptions;

/** What a pipeline's failure tells its user, in the same words for {@code run} and {@code serve}. */
public final class PipelineFailures {
  private PipelineFailures() {}

  /** Whether a restart would fail the same way: the topic cannot be read, or the cause says so. */
  public static boolean restartCannotHelp(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnrecoverableException || t instanceof KafkaTopicCheckException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The failure in one line: at the field to correct when the topic cannot be read, saying that a
   * restart could not help when so, else the root cause.
   */
  public static String describe(PipelineConfig config, Throwable failure) {
    return describe(config, "pipeline '" + config.id() + "'", failure);
  }

  /**
   * {@link #describe(PipelineConfig, Throwable)} of a job of the pipeline that is not the
   * pipeline itself.
   *
   * @param job what failed: {@code backfill 'b1' of pipeline 'orders'}
   */
  public static String describe(PipelineConfig config, String job, Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KafkaTopicCheckException check) {
        return config.place(PipelineOptions.pathOf(check.option())) + ": " + check.getMessage();
      }
      if (t instanceof UnrecoverableException) {
        return job + " failed and was not restarted (a restart would fail "
            + "the same way): " + t.getMessage();
      }
    }
    return job + " failed: " + rootMessage(failure);
  }

  /** The exit code of a refused topic check: 2 when the file names no topic, 1 otherwise. */
  public static int exitCode(KafkaTopicCheckException refused) {
    return refused.option() == KafkaSourceOptions.TOPIC ? 2 : 1;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage())
        : root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
