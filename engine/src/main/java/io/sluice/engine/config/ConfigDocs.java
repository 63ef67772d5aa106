package io.sluice.engine.config;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown documentation generated from options. A document holds generated tables between
 * markers, which {@link #replaceTables} rewrites while keeping the prose around them:
 *
 * <pre>
 * &lt;!-- options: source --&gt;
 * | field | values | default | meaning |
 * ...
 * &lt;!-- end options --&gt;
 * </pre>
 */
public final class ConfigDocs {
  private static final Pattern GENERATED =
      Pattern.compile("(<!-- options: (\\S+) -->\n)(.*?)(<!-- end options -->)", Pattern.DOTALL);

  private ConfigDocs() {}

  /** A table of options with the field names given, in the map's order. */
  public static String table(Map<String, ? extends ConfigOption<?>> optionsByField) {
    StringBuilder table =
        new StringBuilder("| field | values | default | meaning |\n|---|---|---|---|\n");
    optionsByField.forEach((field, option) -> table
        .append("| `").append(field).append("` | ")
        .append(cell(option.valuesDescription())).append(" | ")
        .append(cell(option.defaultDescription())).append(" | ")
        .append(cell(option.doc())).append(" |\n"));
    return table.toString();
  }

  /**
   * The document with the content between each {@code <!-- options: NAME -->} and {@code <!-- end
   * options -->} replaced by {@code tablesByName.get(NAME)}.
   *
   * @throws IllegalArgumentException when the document names a table not given, or lacks a marker
   *     for one that is given (an option section without docs)
   */
  public static String replaceTables(String markdown, Map<String, String> tablesByName) {
    Set<String> unplaced = new HashSet<>(tablesByName.keySet());
    Matcher m = GENERATED.matcher(markdown);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String table = tablesByName.get(m.group(2));
      if (table == null) {
        throw new IllegalArgumentException("the document has a marker for options '" + m.group(2)
            + "', which are not among " + tablesByName.keySet());
      }
      unplaced.remove(m.group(2));
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + table + m.group(4)));
    }
    m.appendTail(out);
    if (!unplaced.isEmpty()) {
      throw new IllegalArgumentException("the document has no place for the options " + unplaced
          + ": add <!-- options: NAME --> and <!-- end options --> where each table belongs");
    }
    return out.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
