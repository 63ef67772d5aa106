package io.sluice.engine.config;

import java.util.List;
import java.util.Map;

/**
 * A value as a configuration source holds it (text, a list or a mapping), which knows where it
 * stands in its source, so that {@link ConfigOption#read} can raise errors naming the place.
 */
public interface ConfigValue {
  /** The value's text; raises an {@link #error} when the value is not a single value. */
  String text();

  /** The value's items; raises an {@link #error} when the value is not a list. */
  List<? extends ConfigValue> items();

  /** The value's entries in their order; raises an {@link #error} when it is not a mapping. */
  Map<String, ? extends ConfigValue> entries();

  /** An exception for a problem with this value ({@code "must be at least 1"}) at its place. */
  RuntimeException error(String problem);
}
