package io.sluice.service.config;

import io.sluice.engine.config.ConfigOption;
import io.sluice.engine.config.OptionType;
import io.sluice.engine.config.Validator;
import java.time.Duration;
import java.util.List;

/** The fields of each transform of a pipeline file's {@code transforms:} list. */
public final class TransformOptions {
  public static final ConfigOption<List<String>> DEDUPE_KEY =
      ConfigOption.key("key", OptionType.listOf(OptionType.string()))
          .required()
          .validate(Validator.of("one or more schema fields", key -> !key.isEmpty(),
              key -> "must name at least one field"))
          .doc("the schema fields whose values identify a record; records with equal values "
              + "(nulls count as equal) are duplicates");

  public static final ConfigOption<Duration> DEDUPE_WITHIN =
      ConfigOption.key("within", OptionType.duration())
          .required()
          .validate(Validator.longerThanZero())
          .doc("how long a kept record's key is remembered (processing time): a duplicate "
              + "arriving later than this after it is kept again. Bounds the state: one entry per "
              + "key seen within this time");

  /** The fields of {@code dedupe}, in the order of the docs. */
  public static final List<ConfigOption<?>> DEDUPE = List.of(DEDUPE_KEY, DEDUPE_WITHIN);

  private TransformOptions() {}
}
