package io.sluice.catalog.internal;

import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.sluice.catalog.TableDefinition;
import io.sluice.catalog.TableDefinitionMismatchException;
import java.util.List;
import java.util.Map;

/** Checks that an existing table can take the rows of a declared {@link TableDefinition}. */
final class TableDefinitionVerifier {
  private TableDefinitionVerifier() {}

  static void verify(
      String tablePath,
      StructType tableSchema,
      List<String> tablePartitionColumns,
      Map<String, String> tableProperties,
      TableDefinition declared) {
    StructType declaredSchema = declared.schema();
    for (StructField field : declaredSchema.fields()) {
      StructField existing = findExact(tableSchema, field.getName());
      if (existing == null) {
        StructField other = findIgnoreCase(tableSchema, field.getName());
        String hint = other == null ? "" : " (the table has '" + other.getName() + "')";
        throw new TableDefinitionMismatchException(
            tablePath,
            field.getName(),
            "field '" + field.getName() + "' is declared but the table has no such field" + hint);
      }
      if (!existing.getDataType().equivalent(field.getDataType())) {
        throw new TableDefinitionMismatchException(
            tablePath,
            field.getName(),
            "field '"
                + field.getName()
                + "' has type "
                + existing.getDataType()
                + " in the table but "
                + field.getDataType()
                + " in the declared schema");
      }
      if (field.isNullable() && !existing.isNullable()) {
        throw new TableDefinitionMismatchException(
            tablePath,
            field.getName(),
            "field '"
                + field.getName()
                + "' is NOT NULL in the table but declared nullable");
      }
    }
    for (StructField existing : tableSchema.fields()) {
      if (findExact(declaredSchema, existing.getName()) == null) {
        throw new TableDefinitionMismatchException(
            tablePath,
            existing.getName(),
            "field '"
                + existing.getName()
                + "' ("
                + existing.getDataType()
                + ") exists in the table but is not in the declared schema");
      }
    }
    if (!tablePartitionColumns.equals(declared.partitionColumns())) {
      String differing = firstDifference(tablePartitionColumns, declared.partitionColumns());
      throw new TableDefinitionMismatchException(
          tablePath,
          differing,
          "the table is partitioned by "
              + tablePartitionColumns
              + " but the declared partition columns are "
              + declared.partitionColumns()
              + (differing == null ? "" : " (first difference: '" + differing + "')"));
    }
    String mappingMode = tableProperties.getOrDefault("delta.columnMapping.mode", "none");
    if (!"none".equalsIgnoreCase(mappingMode)) {
      throw new TableDefinitionMismatchException(
          tablePath,
          null,
          "the table uses column mapping mode '"
              + mappingMode
              + "', which this writer does not support");
    }
  }

  private static String firstDifference(List<String> a, List<String> b) {
    int n = Math.max(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      String x = i < a.size() ? a.get(i) : null;
      String y = i < b.size() ? b.get(i) : null;
      if (x == null || !x.equals(y)) {
        return x != null ? x : y;
      }
    }
    return null;
  }

  private static StructField findExact(StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.getName().equals(name)) {
        return f;
      }
    }
    return null;
  }

  private static StructField findIgnoreCase(StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.getName().equalsIgnoreCase(name)) {
        return f;
      }
    }
    return null;
  }
}
