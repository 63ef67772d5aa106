package io.sluice.engine;

import java.util.Objects;

/**
 * Names a side output: an operator emits records of type {@code T} to it besides its main output
 * ({@code ctx.output(tag, value)}); {@link DataStream#sideOutput} is the stream of those records.
 * Tags are equal when their ids are.
 */
public final class OutputTag<T> {
  private final String id;

  public OutputTag(String id) {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("an output tag id must not be blank");
    }
    this.id = id;
  }

  public String id() {
    return id;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutputTag<?> other && id.equals(other.id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "OutputTag(" + id + ")";
  }
}
