package io.sluice.service.internal;

import io.sluice.engine.config.ConfigOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@link ConfigOption}s from a YAML document, each at its dotted path: {@code
 * checkpoint.interval} is the field {@code interval} of the mapping {@code checkpoint}. Fields
 * that are neither an option nor a mapping leading to one are refused, naming the valid ones. A
 * field without a value ({@code field:}) counts as absent.
 */
public final class YamlOptions {
  private final YamlNode root;
  private final Map<ConfigOption<?>, String> paths = new IdentityHashMap<>();
  /** The field names each mapping may hold, by the mapping's path ("" for the root). */
  private final Map<String, List<String>> fieldsByMapping = new LinkedHashMap<>();

  /**
   * @param optionsByPath every option the document may hold, by its path
   * @param otherFields top-level fields read without options (their content is not checked here)
   */
  public YamlOptions(
      YamlNode root, Map<String, ConfigOption<?>> optionsByPath, Set<String> otherFields) {
    this.root = root;
    optionsByPath.forEach((path, option) -> {
      paths.put(option, path);
      String mapping = "";
      for (String field : path.split("\\.")) {
        List<String> fields = fieldsByMapping.computeIfAbsent(mapping, m -> new ArrayList<>());
        if (!fields.contains(field)) {
          fields.add(field);
        }
        mapping = mapping.isEmpty() ? field : mapping + "." + field;
      }
    });
    fieldsByMapping.computeIfAbsent("", m -> new ArrayList<>()).addAll(otherFields);
    refuseUnknownFields(root, "");
  }

  /** The option's value, or its default when absent; a required option must be present. */
  public <T> T get(ConfigOption<T> option) {
    return find(option).orElseGet(option::defaultValue);
  }

  /** The option's value, if present; a required option must be present. */
  public <T> Optional<T> find(ConfigOption<T> option) {
    return node(option).map(option::read);
  }

  /** Where the option's value stands, if present; a required option must be present. */
  public Optional<YamlNode> node(ConfigOption<?> option) {
    String path = paths.get(option);
    if (path == null) {
      throw new IllegalArgumentException("option " + option + " has no place in this document");
    }
    YamlNode node = root;
    for (String field : path.split("\\.")) {
      YamlNode child = node.entries().get(field);
      if (child == null || child.kind() == YamlNode.Kind.NULL) {
        if (option.isRequired()) {
          throw node.error("missing required field '" + field + "'");
        }
        return Optional.empty();
      }
      node = child;
    }
    return Optional.of(node);
  }

  private void refuseUnknownFields(YamlNode mapping, String path) {
    List<String> known = fieldsByMapping.get(path);
    YamlReader.fields(mapping, known.toArray(String[]::new)).forEach((field, value) -> {
      String fieldPath = path.isEmpty() ? field : path + "." + field;
      if (fieldsByMapping.containsKey(fieldPath) && value.kind() != YamlNode.Kind.NULL) {
        refuseUnknownFields(value, fieldPath);
      }
    });
  }
}
