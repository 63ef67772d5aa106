package io.sluice.service.internal;

import io.sluice.engine.config.ConfigOption;
import io.sluice.engine.config.ConfigValue;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * A command-line option's text read as an option of a catalogue: the same syntax and checks as in
 * a pipeline file ({@code 7d}, {@code 128MB}), a problem reported by picocli as an invalid value
 * of the option.
 */
public record CommandLineValue(String text) implements ConfigValue {

  /** A picocli converter reading values of {@code option}. */
  public static <T> CommandLine.ITypeConverter<T> converter(ConfigOption<T> option) {
    return text -> option.read(new CommandLineValue(text));
  }

  @Override
  public List<? extends ConfigValue> items() {
    throw error("expected a list");
  }

  @Override
  public Map<String, ? extends ConfigValue> entries() {
    throw error("expected a mapping");
  }

  @Override
  public RuntimeException error(String problem) {
    return new CommandLine.TypeConversionException(problem);
  }
}
