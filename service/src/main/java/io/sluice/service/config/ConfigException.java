package io.sluice.service.config;

/**
 * A pipeline file is invalid. The message starts with {@code file:line:column} and names the field
 * (as a dotted path such as {@code sink.target-file-size}), so it can be fixed without guessing.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
