package io.sluice.engine.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One configuration option, defined once: its key, type, default (or that it is required),
 * validators and documentation. Configuration files read it with {@link #read}, Java builders take
 * their defaults from {@link #defaultValue} and check what they are given with {@link #validate},
 * and the docs are generated from it ({@link ConfigDocs}).
 *
 * <pre>{@code
 * ConfigOption<Duration> INTERVAL = ConfigOption.key("checkpoint.interval", OptionType.duration())
 *     .defaultValue(Duration.ofSeconds(10))
 *     .validate(Validator.longerThanZero())
 *     .doc("time between checkpoints");
 * }</pre>
 */
public final class ConfigOption<T> {
  private enum Presence {
    REQUIRED,
    DEFAULTED,
    OPTIONAL
  }

  private final String key;
  private final OptionType<T> type;
  private final Presence presence;
  private final T defaultValue;
  private final String whenAbsent;
  private final List<Validator<? super T>> validators;
  private final String doc;

  private ConfigOption(Builder<T> builder, String doc) {
    this.key = builder.key;
    this.type = builder.type;
    this.presence = builder.presence;
    this.defaultValue = builder.defaultValue;
    this.whenAbsent = builder.whenAbsent;
    this.validators = List.copyOf(builder.validators);
    this.doc = doc;
  }

  /**
   * Starts an option.
   *
   * @param key its name where its module's options are written, e.g. {@code checkpoint.interval},
   *     or {@code topic} (the service places a source's options under {@code source})
   */
  public static <T> Builder<T> key(String key, OptionType<T> type) {
    return new Builder<>(key, type);
  }

  public String key() {
    return key;
  }

  public OptionType<T> type() {
    return type;
  }

  /** Whether a value must be given: there is no default. */
  public boolean isRequired() {
    return presence == Presence.REQUIRED;
  }

  public boolean hasDefault() {
    return presence == Presence.DEFAULTED;
  }

  /** @throws IllegalStateException when the option has no default */
  public T defaultValue() {
    if (!hasDefault()) {
      throw new IllegalStateException("option " + key + " has no default");
    }
    return defaultValue;
  }

  /** The default for the docs: {@code `10s`}, {@code required}, or what an absent value means. */
  public String defaultDescription() {
    return switch (presence) {
      case REQUIRED -> "required";
      case DEFAULTED -> "`" + type.format(defaultValue) + "`";
      case OPTIONAL -> whenAbsent;
    };
  }

  /** The values it takes, for the docs: type and validators ({@code whole number, at least 1}). */
  public String valuesDescription() {
    return Stream.concat(
            Stream.of(type.description()), validators.stream().map(Validator::description))
        .collect(Collectors.joining(", "));
  }

  /** One paragraph for the docs: what the option does. */
  public String doc() {
    return doc;
  }

  /** The value held by {@code value}, parsed and validated; a problem is raised at its place. */
  public T read(ConfigValue value) {
    T parsed = type.read(value);
    problem(parsed).ifPresent(problem -> {
      throw value.error(problem);
    });
    return parsed;
  }

  /**
   * Checks a value given in Java.
   *
   * @return {@code value}
   * @throws IllegalArgumentException {@code "<key>: <problem>"}, or {@code "<key> is required"}
   *     for null
   */
  public T validate(T value) {
    if (value == null) {
      throw new IllegalArgumentException(key + " is required");
    }
    problem(value).ifPresent(problem -> {
      throw new IllegalArgumentException(key + ": " + problem);
    });
    return value;
  }

  private Optional<String> problem(T value) {
    return validators.stream().flatMap(v -> v.problem(value).stream()).findFirst();
  }

  @Override
  public String toString() {
    return key;
  }

  /**
   * Declares an option: one of {@link #defaultValue}, {@link #required} or {@link #optional}, any
   * validators, and last the {@link #doc}, which returns the option.
   */
  public static final class Builder<T> {
    private final String key;
    private final OptionType<T> type;
    private Presence presence;
    private T defaultValue;
    private String whenAbsent;
    private final List<Validator<? super T>> validators = new ArrayList<>();

    private Builder(String key, OptionType<T> type) {
      this.key = Objects.requireNonNull(key, "key");
      this.type = Objects.requireNonNull(type, "type");
    }

    public Builder<T> defaultValue(T value) {
      this.presence = Presence.DEFAULTED;
      this.defaultValue = Objects.requireNonNull(value, "default of " + key);
      return this;
    }

    public Builder<T> required() {
      this.presence = Presence.REQUIRED;
      return this;
    }

    /**
     * No value and no default: the option may be left out.
     *
     * @param whenAbsent what leaving it out means, for the docs: {@code "none"}, {@code "the
     *     source parallelism"}
     */
    public Builder<T> optional(String whenAbsent) {
      this.presence = Presence.OPTIONAL;
      this.whenAbsent = Objects.requireNonNull(whenAbsent, "whenAbsent");
      return this;
    }

    public Builder<T> validate(Validator<? super T> validator) {
      validators.add(Objects.requireNonNull(validator, "validator"));
      return this;
    }

    /** @param doc what the option does, one paragraph of Markdown */
    public ConfigOption<T> doc(String doc) {
      if (presence == null) {
        throw new IllegalStateException(
            "option " + key + " needs a defaultValue, or to be required or optional");
      }
      ConfigOption<T> option = new ConfigOption<>(this, Objects.requireNonNull(doc, "doc"));
      if (option.hasDefault()) {
        option.validate(option.defaultValue);
      }
      return option;
    }
  }
}
