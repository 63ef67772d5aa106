package io.sluice.service.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sluice.service.config.ConfigException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a YAML document into {@link YamlNode}s that keep their line and column, substituting
 * {@code ${NAME}} and {@code ${NAME:-default}} in scalar values from the environment. Duplicate keys
 * are errors (YAML parsers usually let the last one win silently).
 */
public final class YamlReader {
  private static final YAMLFactory FACTORY = new YAMLFactory();
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

  private final String file;
  private final Function<String, String> environment;

  public YamlReader(String file, Function<String, String> environment) {
    this.file = file;
    this.environment = environment;
  }

  public YamlNode read(String text) {
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new ConfigException(file + ":1:1: the file is empty");
      }
      return readValue(parser, "");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? file : file + ":" + at.getLineNr() + ":" + at.getColumnNr();
      throw new ConfigException(where + ": not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
  }

  private YamlNode readValue(JsonParser parser, String path) throws IOException {
    JsonLocation at = parser.currentTokenLocation();
    int line = at.getLineNr();
    int column = at.getColumnNr();
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT -> {
        LinkedHashMap<String, YamlNode> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          JsonLocation keyAt = parser.currentTokenLocation();
          parser.nextToken();
          YamlNode value = readValue(parser, path.isEmpty() ? key : path + "." + key);
          if (entries.put(key, value) != null) {
            throw new ConfigException(
                file + ":" + keyAt.getLineNr() + ":" + keyAt.getColumnNr() + ": "
                    + (path.isEmpty() ? "" : path + ": ") + "duplicate field '" + key + "'");
          }
        }
        return new YamlNode(YamlNode.Kind.MAP, file, line, column, path, null, entries, null);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(readValue(parser, path + "[" + items.size() + "]"));
        }
        return new YamlNode(YamlNode.Kind.LIST, file, line, column, path, null, null, items);
      }
      case VALUE_NULL -> {
        return new YamlNode(YamlNode.Kind.NULL, file, line, column, path, null, null, null);
      }
      default -> {
        String text = substitute(parser.getText(), line, column, path);
        return new YamlNode(YamlNode.Kind.SCALAR, file, line, column, path, text, null, null);
      }
    }
  }

  private String substitute(String text, int line, int column, String path) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = environment.apply(m.group(1));
      if (value == null) {
        if (m.group(2) == null) {
          throw new ConfigException(
              file + ":" + line + ":" + column + ": " + path + ": environment variable "
                  + m.group(1) + " is not set (write ${" + m.group(1) + ":-default} for a default)");
        }
        value = m.group(3);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The fields of a mapping, refusing any field not in {@code known} with the list of valid ones. */
  public static Map<String, YamlNode> fields(YamlNode node, String... known) {
    Map<String, YamlNode> entries = node.entries();
    for (Map.Entry<String, YamlNode> e : entries.entrySet()) {
      if (!List.of(known).contains(e.getKey())) {
        throw e.getValue().error(
            "unknown field '" + e.getKey() + "' (valid fields here: " + String.join(", ", known) + ")");
      }
    }
    return entries;
  }
}
