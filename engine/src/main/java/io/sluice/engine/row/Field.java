package io.sluice.engine.row;

import java.util.Objects;

/** One named, typed column of a {@link Schema}. */
public record Field(String name, FieldType type, boolean nullable) {
  public Field {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isBlank()) {
      throw new IllegalArgumentException("field name must not be blank");
    }
  }
}
