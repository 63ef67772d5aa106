package io.sluice.engine.config;

import java.util.List;
import java.util.Map;

/** A {@link ConfigValue} without a file: its errors are {@link Invalid} with the bare problem. */
record TestValue(Object raw) implements ConfigValue {
  static final class Invalid extends RuntimeException {
    Invalid(String problem) {
      super(problem);
    }
  }

  static TestValue of(Object raw) {
    return new TestValue(raw);
  }

  @Override
  public String text() {
    if (raw instanceof String text) {
      return text;
    }
    throw error("expected a single value");
  }

  @Override
  public List<TestValue> items() {
    if (raw instanceof List<?> list) {
      return list.stream().map(TestValue::new).toList();
    }
    throw error("expected a list");
  }

  @Override
  public Map<String, TestValue> entries() {
    throw error("expected a mapping");
  }

  @Override
  public Invalid error(String problem) {
    return new Invalid(problem);
  }
}
