package io.sluice.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.delta.DeltaSinkOptions;
import io.sluice.engine.JobOptions;
import io.sluice.engine.config.ConfigDocs;
import io.sluice.engine.config.ConfigOption;
import io.sluice.kafka.KafkaSourceOptions;
import io.sluice.state.rocksdb.RocksDbOptions;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} holds the tables generated from the option catalogues. Run with
 * {@code -Dsluice.docs.write=true} (see {@link #REWRITE}), this test rewrites them instead.
 */
class ConfigurationDocTest {
  private static final Path DOC = Path.of("..", "docs", "configuration.md");
  private static final String REWRITE = "mvn -B -o -q -pl service -am test "
      + "-Dtest=ConfigurationDocTest -Dsurefire.failIfNoSpecifiedTests=false "
      + "-Dsluice.docs.write=true";
  /** Each module's catalogue class and the list in it of all its options. */
  private static final Map<Class<?>, List<ConfigOption<?>>> CATALOGUES = Map.of(
      JobOptions.class, JobOptions.ALL,
      KafkaSourceOptions.class, KafkaSourceOptions.ALL,
      DeltaSinkOptions.class, DeltaSinkOptions.ALL,
      CatalogOptions.class, CatalogOptions.ALL,
      TransformOptions.class, TransformOptions.DEDUPE,
      RocksDbOptions.class, RocksDbOptions.ALL);

  @Test
  void docsHoldTheTablesOfTheCatalogues() throws IOException {
    String checkedIn = Files.readString(DOC, StandardCharsets.UTF_8);
    String generated = ConfigDocs.replaceTables(checkedIn, tables());
    if (generated.equals(checkedIn)) {
      return;
    }
    if (Boolean.getBoolean("sluice.docs.write")) {
      Files.writeString(DOC, generated, StandardCharsets.UTF_8);
      return;
    }
    fail(DOC.normalize() + " disagrees with the option catalogues. Rewrite its tables with\n  "
        + REWRITE + "\n" + diff(checkedIn, generated));
  }

  @Test
  void everyCatalogueListsAllItsOptions() {
    CATALOGUES.forEach((catalogue, all) -> {
      Set<Object> declared = Arrays.stream(catalogue.getFields())
          .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class)
          .map(ConfigurationDocTest::value)
          .collect(Collectors.toSet());
      assertEquals(declared, Set.copyOf(all), catalogue.getSimpleName() + ".ALL");
    });
  }

  /**
   * One table per section of the pipeline file ({@code pipeline}, {@code source}...), fields named
   * within their section; and per catalogue one of the options the file does not place (if any).
   */
  private static Map<String, String> tables() {
    Map<String, Map<String, ConfigOption<?>>> sections = new LinkedHashMap<>();
    PipelineOptions.BY_PATH.forEach((path, option) -> {
      int dot = path.indexOf('.');
      String section = dot < 0 ? path : path.substring(0, dot);
      sections.computeIfAbsent(section, s -> new LinkedHashMap<>())
          .put(path.substring(dot + 1), option);
    });
    Map<String, ConfigOption<?>> dedupe = new LinkedHashMap<>();
    TransformOptions.DEDUPE.forEach(option -> dedupe.put(option.key(), option));
    sections.put("dedupe", dedupe);
    CATALOGUES.forEach((catalogue, all) -> {
      Map<String, ConfigOption<?>> javaOnly = all.stream()
          .filter(option -> !PipelineOptions.BY_PATH.containsValue(option))
          .collect(Collectors.toMap(
              ConfigOption::key, option -> option, (a, b) -> a, LinkedHashMap::new));
      if (!javaOnly.isEmpty()) {
        sections.put(catalogue.getSimpleName(), javaOnly);
      }
    });
    sections.remove(TransformOptions.class.getSimpleName()); // its fields are the dedupe table
    Map<String, String> tables = new LinkedHashMap<>();
    sections.forEach((name, options) -> tables.put(name, ConfigDocs.table(options)));
    return tables;
  }

  /**
   * The lines that differ (a longest-common-subsequence diff): {@code -} checked in, {@code +}
   * generated, each with its line number in its file.
   */
  private static String diff(String checkedIn, String generated) {
    List<String> old = checkedIn.lines().toList();
    List<String> now = generated.lines().toList();
    int[][] common = new int[old.size() + 1][now.size() + 1];
    for (int i = old.size() - 1; i >= 0; i--) {
      for (int j = now.size() - 1; j >= 0; j--) {
        common[i][j] = old.get(i).equals(now.get(j))
            ? common[i + 1][j + 1] + 1
            : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    int j = 0;
    while (i < old.size() || j < now.size()) {
      if (i < old.size() && j < now.size() && old.get(i).equals(now.get(j))) {
        i++;
        j++;
      } else if (j == now.size() || (i < old.size() && common[i + 1][j] >= common[i][j + 1])) {
        out.append(String.format("-%4d | %s%n", i + 1, old.get(i++)));
      } else {
        out.append(String.format("+%4d | %s%n", j + 1, now.get(j++)));
      }
    }
    return out.toString();
  }

  private static Object value(Field staticField) {
    try {
      return staticField.get(null);
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }
}
