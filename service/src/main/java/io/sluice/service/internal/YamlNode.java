package io.sluice.service.internal;

import io.sluice.engine.config.ConfigValue;
import io.sluice.service.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML value that remembers where it stood in its file, so that every validation error
 * can name the file, line, column and dotted field path.
 */
public final class YamlNode implements ConfigValue {
  public enum Kind {
    MAP,
    LIST,
    SCALAR,
    NULL
  }

  private final Kind kind;
  private final String file;
  private final int line;
  private final int column;
  private final String path;
  private final String scalar;
  private final Map<String, YamlNode> entries;
  private final List<YamlNode> items;

  YamlNode(
      Kind kind,
      String file,
      int line,
      int column,
      String path,
      String scalar,
      LinkedHashMap<String, YamlNode> entries,
      List<YamlNode> items) {
    this.kind = kind;
    this.file = file;
    this.line = line;
    this.column = column;
    this.path = path;
    this.scalar = scalar;
    this.entries = entries;
    this.items = items;
  }

  public Kind kind() {
    return kind;
  }

  /** Dotted path of this node from the document root, e.g. {@code sink.partition-by[1]}. */
  public String path() {
    return path;
  }

  public String location() {
    return file + ":" + line + ":" + column;
  }

  /** An error at this node: {@code file:line:col: path: message}. */
  @Override
  public ConfigException error(String message) {
    return new ConfigException(location() + ": " + (path.isEmpty() ? "" : path + ": ") + message);
  }

  @Override
  public Map<String, YamlNode> entries() {
    if (kind != Kind.MAP) {
      throw error("expected a mapping of fields, got " + describe());
    }
    return entries;
  }

  @Override
  public List<YamlNode> items() {
    if (kind != Kind.LIST) {
      throw error("expected a list, got " + describe());
    }
    return items;
  }

  @Override
  public String text() {
    if (kind != Kind.SCALAR) {
      throw error("expected a single value, got " + describe());
    }
    return scalar;
  }

  String describe() {
    return switch (kind) {
      case MAP -> "a mapping";
      case LIST -> "a list";
      case NULL -> "nothing";
      case SCALAR -> "'" + scalar + "'";
    };
  }
}
