package io.sluice.engine.row;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An ordered list of uniquely named fields: the shape of every {@link Row} in a stream. */
public final class Schema {
  private final List<Field> fields;
  private final Map<String, Integer> indexByName;

  public Schema(List<Field> fields) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("a schema needs at least one field");
    }
    this.fields = List.copyOf(fields);
    this.indexByName = new HashMap<>();
    for (int i = 0; i < this.fields.size(); i++) {
      if (indexByName.put(this.fields.get(i).name(), i) != null) {
        throw new IllegalArgumentException("duplicate field name '" + this.fields.get(i).name() + "'");
      }
    }
  }

  public List<Field> fields() {
    return fields;
  }

  public int size() {
    return fields.size();
  }

  public Field field(int index) {
    return fields.get(index);
  }

  /** Position of the named field, or -1 when the schema has no such field. */
  public int indexOf(String name) {
    return indexByName.getOrDefault(name, -1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schema other && fields.equals(other.fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return "Schema" + fields;
  }
}
