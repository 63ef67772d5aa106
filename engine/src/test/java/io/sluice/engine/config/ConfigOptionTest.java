package io.sluice.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConfigOptionTest {
  private enum Mode {
    FAIL,
    SKIP_AHEAD
  }

  private static final ConfigOption<Integer> RETAINED =
      ConfigOption.key("retained", OptionType.integer())
          .defaultValue(3).validate(Validator.atLeast(1)).doc("kept");
  private static final ConfigOption<Long> SIZE =
      ConfigOption.key("size", OptionType.size())
          .defaultValue(128L << 20).validate(Validator.sizeAtLeast(1024)).doc("file size");
  private static final ConfigOption<Duration> INTERVAL =
      ConfigOption.key("interval", OptionType.duration())
          .defaultValue(Duration.ofSeconds(10)).validate(Validator.longerThanZero())
          .doc("between | two");
  private static final ConfigOption<String> TOPIC =
      ConfigOption.key("topic", OptionType.string())
          .required().validate(Validator.notEmpty()).doc("the topic");
  private static final ConfigOption<Mode> MODE =
      ConfigOption.key("mode", OptionType.enumeration(Mode.class))
          .defaultValue(Mode.FAIL).doc("what to do");
  private static final ConfigOption<List<String>> COLUMNS =
      ConfigOption.key("columns", OptionType.listOf(OptionType.string()))
          .defaultValue(List.of()).doc("c");

  @Test
  void readsTextOfEveryType() {
    assertEquals(42, read(RETAINED, " 42"));
    assertEquals(512L << 10, read(SIZE, "512KB"));
    assertEquals(3L << 30, read(SIZE, "3gib"));
    assertEquals(1536L, read(SIZE, "1536"));
    assertEquals(Duration.ofMillis(500), read(INTERVAL, "500ms"));
    assertEquals(Duration.ofDays(7), read(INTERVAL, "7d"));
    assertEquals(Duration.ofHours(24), read(INTERVAL, "24h"));
    assertEquals(Mode.SKIP_AHEAD, read(MODE, "Skip-Ahead"));
    assertEquals(List.of("a", "b"), COLUMNS.read(TestValue.of(List.of("a", "b"))));
    assertEquals(true, OptionType.bool().read(TestValue.of("yes")));
    assertEquals(Long.MIN_VALUE, OptionType.longInteger().read(TestValue.of("-9223372036854775808")));
  }

  @Test
  void overflowEmptyAndWrongValuesAreProblemsNotExceptions() {
    assertProblem(RETAINED, "99999999999999999999",
        "expected a whole number from -2147483648 to 2147483647, got '99999999999999999999'");
    assertProblem(RETAINED, "2147483648",
        "expected a whole number from -2147483648 to 2147483647, got '2147483648'");
    assertProblem(RETAINED, "two", "expected a whole number, got 'two'");
    assertProblem(RETAINED, "0", "must be at least 1");
    assertProblem(SIZE, "17179869185GB", "expected a size of at most 8589934591GB, got '17179869185GB'");
    assertProblem(SIZE, "99999999999999999999", "expected a size of at most 8589934591GB, got '99999999999999999999'");
    assertProblem(SIZE, "1023", "must be at least 1KB");
    assertProblem(SIZE, "lots", "expected a size such as 128MB, 512KB or a number of bytes, got 'lots'");
    assertProblem(INTERVAL, "106752d", "expected a duration of at most 106751d, got '106752d'");
    assertProblem(INTERVAL, "99999999999999999999ms", "expected a duration of at most 106751d, got '99999999999999999999ms'");
    assertProblem(INTERVAL, "0s", "must be longer than zero");
    assertProblem(INTERVAL, "-5s", "expected a duration such as 500ms, 10s, 5m, 1h or 7d, got '-5s'");
    assertProblem(TOPIC, "", "must not be empty");
    assertProblem(TOPIC, "  ", "must not be empty");
    assertProblem(MODE, "skip", "expected fail or skip-ahead, got 'skip'");
    assertEquals("must not be empty",
        assertThrows(TestValue.Invalid.class, () -> OptionType.path().read(TestValue.of(""))).getMessage());
    assertEquals("expected a list",
        assertThrows(TestValue.Invalid.class, () -> COLUMNS.read(TestValue.of("a"))).getMessage());
  }

  @Test
  void theLongestDurationFitsTheEngineTimers() {
    Duration longest = read(INTERVAL, "106751d");
    assertEquals(106751L * 24 * 3600 * 1_000_000_000L, longest.toNanos());
    assertEquals(longest.toNanos(), TimeUnit.NANOSECONDS.convert(longest));
  }

  @Test
  void formatsValuesAsTheyAreWritten() {
    assertEquals("128MB", SIZE.type().format(128L << 20));
    assertEquals("1000B", SIZE.type().format(1000L));
    assertEquals("10s", INTERVAL.type().format(Duration.ofSeconds(10)));
    assertEquals("10m", INTERVAL.type().format(Duration.ofMinutes(10)));
    assertEquals("1500ms", INTERVAL.type().format(Duration.ofMillis(1500)));
    assertEquals("0ms", INTERVAL.type().format(Duration.ZERO));
    assertEquals("skip-ahead", MODE.type().format(Mode.SKIP_AHEAD));
    assertEquals("[a, b]", COLUMNS.type().format(List.of("a", "b")));
    assertEquals("{a: 1}", OptionType.stringMap().format(Map.of("a", "1")));
    assertEquals(Path.of("/x"), OptionType.path().read(TestValue.of("/x")));
  }

  @Test
  void javaValuesAreCheckedByTheSameValidators() {
    assertEquals(5, RETAINED.validate(5));
    assertEquals("retained: must be at least 1",
        assertThrows(IllegalArgumentException.class, () -> RETAINED.validate(0)).getMessage());
    assertEquals("topic is required",
        assertThrows(IllegalArgumentException.class, () -> TOPIC.validate(null)).getMessage());
    assertThrows(IllegalStateException.class, TOPIC::defaultValue);
    assertThrows(IllegalArgumentException.class,
        () -> ConfigOption.key("bad", OptionType.integer())
            .defaultValue(0).validate(Validator.atLeast(1)).doc("d"));
  }

  @Test
  void rendersAMarkdownTableAndReplacesOnlyTheGeneratedParts() {
    String table = ConfigDocs.table(Map.of("interval", INTERVAL));
    assertEquals("""
        | field | values | default | meaning |
        |---|---|---|---|
        | `interval` | duration, longer than zero | `10s` | between \\| two |
        """, table);
    String doc = "# Intro\n<!-- options: a -->\nold\n<!-- end options -->\nprose\n";
    assertEquals("# Intro\n<!-- options: a -->\nnew\n<!-- end options -->\nprose\n",
        ConfigDocs.replaceTables(doc, Map.of("a", "new\n")));
    assertThrows(IllegalArgumentException.class, () -> ConfigDocs.replaceTables(doc, Map.of("b", "x")));
    assertThrows(IllegalArgumentException.class,
        () -> ConfigDocs.replaceTables(doc, Map.of("a", "x", "b", "y")));
    assertEquals("required", TOPIC.defaultDescription());
    assertEquals("text, not empty", TOPIC.valuesDescription());
    assertEquals("one of `fail`, `skip-ahead`", MODE.valuesDescription());
  }

  private static <T> T read(ConfigOption<T> option, String text) {
    return option.read(TestValue.of(text));
  }

  private static void assertProblem(ConfigOption<?> option, String text, String problem) {
    assertEquals(problem, assertThrows(TestValue.Invalid.class, () -> read(option, text)).getMessage());
  }
}
