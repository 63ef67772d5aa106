package io.sluice.engine.config;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/** A rule for an option's values, with the words that document it and that report breaking it. */
public final class Validator<T> {
  private final String description;
  private final Predicate<? super T> isValid;
  private final Function<? super T, String> problem;

  private Validator(
      String description, Predicate<? super T> isValid, Function<? super T, String> problem) {
    this.description = description;
    this.isValid = isValid;
    this.problem = problem;
  }

  /**
   * @param description what valid values are, for the docs: {@code "at least 1"}
   * @param problem the error for an invalid value: {@code "must be at least 1"}
   */
  public static <T> Validator<T> of(
      String description, Predicate<? super T> isValid, Function<? super T, String> problem) {
    return new Validator<>(description, isValid, problem);
  }

  public static Validator<Integer> atLeast(int min) {
    return of("at least " + min, value -> value >= min, value -> "must be at least " + min);
  }

  public static Validator<Integer> between(int min, int max) {
    return of("from " + min + " to " + max, value -> value >= min && value <= max,
        value -> "must be from " + min + " to " + max);
  }

  public static Validator<Long> atLeast(long min) {
    return of("at least " + min, value -> value >= min, value -> "must be at least " + min);
  }

  /** For sizes in bytes: shown as sizes, e.g. {@code at least 1KB}. */
  public static Validator<Long> sizeAtLeast(long minBytes) {
    String min = Quantities.formatSize(minBytes);
    return of("at least " + min, value -> value >= minBytes, value -> "must be at least " + min);
  }

  public static Validator<Duration> atLeast(Duration min) {
    String shown = Quantities.formatDuration(min);
    return of("at least " + shown,
        value -> value.compareTo(min) >= 0, value -> "must be at least " + shown);
  }

  public static Validator<Duration> atMost(Duration max) {
    String shown = Quantities.formatDuration(max);
    return of("at most " + shown,
        value -> value.compareTo(max) <= 0, value -> "must be at most " + shown);
  }

  public static Validator<Duration> longerThanZero() {
    return of("longer than zero",
        value -> !value.isNegative() && !value.isZero(), value -> "must be longer than zero");
  }

  public static Validator<String> notEmpty() {
    return of("not empty", value -> !value.isBlank(), value -> "must not be empty");
  }

  /** What valid values are, e.g. {@code "at least 1"}. */
  public String description() {
    return description;
  }

  /** Why {@code value} is invalid, e.g. {@code "must be at least 1"}; empty when it is valid. */
  public Optional<String> problem(T value) {
    return isValid.test(value) ? Optional.empty() : Optional.of(problem.apply(value));
  }
}
