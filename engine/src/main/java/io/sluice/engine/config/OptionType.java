package io.sluice.engine.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The type of an option's values: how a configuration source writes them, how they read back, and
 * how the docs name them. Single values are parsed from text; lists and maps from the source's
 * lists and mappings.
 */
public abstract class OptionType<T> {
  private final String description;

  private OptionType(String description) {
    this.description = description;
  }

  /** What the values are, for the docs: {@code "duration"}, {@code "whole number"}. */
  public String description() {
    return description;
  }

  /** The value as a configuration file writes it: {@code 10s}, {@code 128MB}, {@code [a, b]}. */
  public abstract String format(T value);

  /** The value held by {@code value}; one that does not parse is an error raised at its place. */
  abstract T read(ConfigValue value);

  public static OptionType<String> string() {
    return scalar("text", Function.identity(), Function.identity());
  }

  public static OptionType<Integer> integer() {
    return scalar("whole number", Quantities::parseInt, String::valueOf);
  }

  public static OptionType<Long> longInteger() {
    return scalar("whole number", Quantities::parseLong, String::valueOf);
  }

  /** {@code true} or {@code false}; {@code yes}/{@code no} and {@code on}/{@code off} too. */
  public static OptionType<Boolean> bool() {
    return scalar("`true` or `false`", text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException("expected true or false, got '" + text + "'");
    }, String::valueOf);
  }

  /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 7d}. */
  public static OptionType<Duration> duration() {
    return scalar("duration", Quantities::parseDuration, Quantities::formatDuration);
  }

  /** Bytes: {@code 1048576}, {@code 512KB}, {@code 128MB}, {@code 1GB} (powers of 1024). */
  public static OptionType<Long> size() {
    return scalar("size", Quantities::parseSize, Quantities::formatSize);
  }

  /** A file system path; an empty one is refused (it would silently mean the working directory). */
  public static OptionType<Path> path() {
    return scalar("path", text -> {
      if (text.isBlank()) {
        throw new IllegalArgumentException("must not be empty");
      }
      try {
        return Path.of(text);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException("expected a path, got '" + text + "': " + e.getReason());
      }
    }, Path::toString);
  }

  /** An enum's constants, written in lower case with {@code -} for {@code _}, read in any case. */
  public static <E extends Enum<E>> OptionType<E> enumeration(Class<E> type) {
    List<String> names =
        Arrays.stream(type.getEnumConstants()).map(OptionType::enumName).toList();
    String last = names.get(names.size() - 1);
    String choices = names.size() == 1
        ? last
        : String.join(", ", names.subList(0, names.size() - 1)) + " or " + last;
    return scalar(
        names.stream().map(name -> "`" + name + "`")
            .collect(Collectors.joining(", ", "one of ", "")),
        text -> {
          int index = names.indexOf(text.trim().toLowerCase(Locale.ROOT));
          if (index < 0) {
            throw new IllegalArgumentException("expected " + choices + ", got '" + text + "'");
          }
          return type.getEnumConstants()[index];
        },
        OptionType::enumName);
  }

  /**
   * A type of single values.
   *
   * @param parse reads a value from text; throws {@link IllegalArgumentException} whose message
   *     says what was expected, e.g. {@code "expected a whole number, got 'two'"}
   * @param format writes a value so that {@code parse} reads it back
   */
  public static <T> OptionType<T> scalar(
      String description, Function<String, T> parse, Function<T, String> format) {
    return new OptionType<>(description) {
      @Override
      public String format(T value) {
        return format.apply(value);
      }

      @Override
      T read(ConfigValue value) {
        String text = value.text();
        try {
          return parse.apply(text);
        } catch (IllegalArgumentException e) {
          throw value.error(e.getMessage());
        }
      }
    };
  }

  /** A list of {@code element} values, written {@code [a, b]}. */
  public static <E> OptionType<List<E>> listOf(OptionType<E> element) {
    return new OptionType<>("list of " + element.description()) {
      @Override
      public String format(List<E> value) {
        return value.stream().map(element::format).collect(Collectors.joining(", ", "[", "]"));
      }

      @Override
      List<E> read(ConfigValue value) {
        List<E> items = new ArrayList<>();
        for (ConfigValue item : value.items()) {
          items.add(element.read(item));
        }
        return Collections.unmodifiableList(items);
      }
    };
  }

  /** Text keys to text values, in their order, written {@code {key: value}}. */
  public static OptionType<Map<String, String>> stringMap() {
    return new OptionType<>("mapping of text to text") {
      @Override
      public String format(Map<String, String> value) {
        return value.entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue())
            .collect(Collectors.joining(", ", "{", "}"));
      }

      @Override
      Map<String, String> read(ConfigValue value) {
        Map<String, String> entries = new LinkedHashMap<>();
        value.entries().forEach((key, entry) -> entries.put(key, entry.text()));
        return Collections.unmodifiableMap(entries);
      }
    };
  }

  private static String enumName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
