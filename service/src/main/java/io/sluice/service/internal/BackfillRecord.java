package io.sluice.service.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What a backfill's checkpoint directory records of it, in {@value #FILE}, written before its
 * first start: the pipeline, the topic, the range asked for and the offsets it resolved to then.
 * Every later run of the backfill reads these offsets instead of resolving the range again (a
 * topic that grew would move the end of a range resolved anew), and a run asking for another
 * range under the same id is refused.
 *
 * @param range the range as flags, {@link BackfillRange#describe()}
 */
public record BackfillRecord(String pipeline, String topic, String range,
    BackfillRange.Offsets offsets) {
  public static final String FILE = "backfill.properties";

  /** The record in {@code directory}, or empty when it holds none. */
  public static Optional<BackfillRecord> read(Path directory) {
    Path file = directory.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
      return Optional.of(new BackfillRecord(
          required(properties, "pipeline", file),
          required(properties, "topic", file),
          required(properties, "range", file),
          new BackfillRange.Offsets(
              BackfillRange.parseOffsets(required(properties, "start-offsets", file)),
              BackfillRange.parseOffsets(required(properties, "stop-offsets", file)))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + " is corrupt: " + e.getMessage(), e);
    }
  }

  private static String required(Properties properties, String key, Path file) {
    String value = properties.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return value;
  }

  /** Writes the record into {@code directory} (created if absent), atomically. */
  public void write(Path directory) {
    String text = """
        # The backfill of this checkpoint directory (sluice backfill), written at its first start.
        # Every run reads the offsets below; a run asking for another range is refused.
        pipeline=%s
        topic=%s
        range=%s
        start-offsets=%s
        stop-offsets=%s
        """.formatted(pipeline, topic, range, BackfillRange.formatOffsets(offsets.start()),
        BackfillRange.formatOffsets(offsets.stop()));
    try {
      Files.createDirectories(directory);
      Path temporary = directory.resolve(FILE + ".tmp");
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      Files.move(temporary, directory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + directory.resolve(FILE), e);
    }
  }

  /**
   * Why a run of pipeline {@code pipeline} reading {@code topic} over {@code range} is not this
   * backfill, or empty when it is.
   */
  public Optional<String> mismatch(String pipeline, String topic, String range) {
    if (!this.pipeline.equals(pipeline)) {
      return Optional.of("it is a backfill of pipeline '" + this.pipeline + "', not '" + pipeline
          + "'");
    }
    if (!this.topic.equals(topic)) {
      return Optional.of("it read topic '" + this.topic + "', not '" + topic + "'");
    }
    if (!this.range.equals(range)) {
      return Optional.of("it covers " + this.range + ", not " + range);
    }
    return Optional.empty();
  }
}
