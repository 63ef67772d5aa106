package io.sluice.service.config;

import io.sluice.catalog.UnityCatalogConfig;
import io.sluice.engine.config.ConfigOption;
import io.sluice.engine.config.OptionType;
import io.sluice.engine.config.Validator;
import java.nio.file.Path;
import java.util.List;

/**
 * The options of a sink's catalog ({@code sink.catalog} in a pipeline file): which catalog manages
 * the table, and how to reach it.
 */
public final class CatalogOptions {
  private static final String API_PATH = "/api/2.1/unity-catalog";

  public static final ConfigOption<CatalogType> TYPE =
      ConfigOption.key("type", OptionType.enumeration(CatalogType.class))
          .defaultValue(CatalogType.FILESYSTEM)
          .doc("who manages the table and ratifies its commits: `filesystem` (the table is a path;"
              + " a commit is a file put in its `_delta_log`) or `unity` (a Unity Catalog managed "
              + "table, named `catalog.schema.table`; commits are staged, ratified by the catalog, "
              + "then published)");

  public static final ConfigOption<String> URI =
      ConfigOption.key("uri", OptionType.string())
          .optional("required with `type: unity`")
          .validate(Validator.of(
              "`embedded`, or an `https` URI (plain `http` only on a loopback address)",
              CatalogOptions::isValidUri,
              uri -> "expected `embedded` or the catalog's https base URI such as "
                  + "https://uc.example.com (plain http only on a loopback address, without "
                  + API_PATH + "), got '" + uri + "'"))
          .doc("the Unity Catalog's base URI, without `" + API_PATH + "`; or `embedded`: a local "
              + "Unity Catalog-compatible server started and stopped with the pipeline, which "
              + "creates a missing catalog or schema on first use (a real catalog refuses, naming "
              + "it)");

  public static final ConfigOption<String> TOKEN =
      ConfigOption.key("token", OptionType.string())
          .optional("none")
          .doc("the bearer token sent with every catalog request; write `${UC_TOKEN}` to take it "
              + "from the environment. Never printed. With `uri: embedded` the local server "
              + "requires it too");

  public static final ConfigOption<Path> DIR =
      ConfigOption.key("dir", OptionType.path())
          .defaultValue(Path.of("data", "catalog"))
          .doc("with `uri: embedded` only: where the local server keeps its state "
              + "(`catalog-state.json`) and the managed tables' storage (`tables/<table id>/`); "
              + "one server at a time may use it");

  /** Every option above, in the order of the docs. */
  public static final List<ConfigOption<?>> ALL = List.of(TYPE, URI, TOKEN, DIR);

  private CatalogOptions() {}

  private static boolean isValidUri(String text) {
    if (text.equals(PipelineConfig.EMBEDDED)) {
      return true;
    }
    try {
      java.net.URI uri = java.net.URI.create(text);
      new UnityCatalogConfig(uri, ""); // refuses plain http off the loopback interface
      return uri.getHost() != null && !uri.getPath().contains(API_PATH);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
