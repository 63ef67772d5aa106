package io.sluice.catalog;

import io.delta.kernel.types.StructType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a writer expects of a table: its logical schema, its partition columns (in order) and the
 * table properties to set when the table is created. Properties are not compared when the table
 * already exists.
 */
public record TableDefinition(
    StructType schema, List<String> partitionColumns, Map<String, String> properties) {

  public TableDefinition {
    Objects.requireNonNull(schema, "schema");
    partitionColumns = List.copyOf(Objects.requireNonNull(partitionColumns, "partitionColumns"));
    properties =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNull(properties, "properties")));
    if (schema.fields().isEmpty()) {
      throw new IllegalArgumentException("a table schema needs at least one field");
    }
    for (String column : partitionColumns) {
      if (schema.indexOf(column) < 0) {
        throw new IllegalArgumentException(
            "partition column '" + column + "' is not a field of the schema " + schema);
      }
    }
    if (partitionColumns.size() >= schema.length()) {
      throw new IllegalArgumentException(
          "a Delta table needs at least one non-partition column; schema "
              + schema
              + ", partition columns "
              + partitionColumns);
    }
  }

  public static TableDefinition of(StructType schema, List<String> partitionColumns) {
    return new TableDefinition(schema, partitionColumns, Map.of());
  }
}
