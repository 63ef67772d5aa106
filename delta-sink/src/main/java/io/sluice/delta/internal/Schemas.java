package io.sluice.delta.internal;

import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.row.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/** Engine schema to Delta Kernel and Parquet schemas (Delta's type mapping, PROTOCOL.md). */
public final class Schemas {
  private Schemas() {}

  public static DataType kernelType(FieldType type) {
    return switch (type) {
      case STRING -> StringType.STRING;
      case INT -> IntegerType.INTEGER;
      case LONG -> LongType.LONG;
      case FLOAT -> FloatType.FLOAT;
      case DOUBLE -> DoubleType.DOUBLE;
      case BOOLEAN -> BooleanType.BOOLEAN;
      case TIMESTAMP -> TimestampType.TIMESTAMP;
      case DATE -> DateType.DATE;
      case BINARY -> BinaryType.BINARY;
    };
  }

  /**
   * The engine schema of a table's schema: fields of the types rows carry.
   *
   * @throws IllegalArgumentException naming the first field of another type
   */
  public static Schema fromTable(StructType table) {
    List<Field> fields = new ArrayList<>();
    for (StructField f : table.fields()) {
      FieldType type = Arrays.stream(FieldType.values())
          .filter(t -> kernelType(t).equals(f.getDataType()))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("column '" + f.getName()
              + "' has the type " + f.getDataType() + ", which Sluice does not write"));
      fields.add(new Field(f.getName(), type, f.isNullable()));
    }
    return new Schema(fields);
  }

  /** The table schema: every field, in order. */
  public static StructType tableSchema(Schema schema) {
    StructType out = new StructType();
    for (Field f : schema.fields()) {
      out = out.add(f.name(), kernelType(f.type()), f.nullable());
    }
    return out;
  }

  /** The schema of the data files: the non-partition fields, in order. */
  public static StructType dataSchema(Schema schema, List<String> partitionColumns) {
    StructType out = new StructType();
    for (Field f : schema.fields()) {
      if (!partitionColumns.contains(f.name())) {
        out = out.add(f.name(), kernelType(f.type()), f.nullable());
      }
    }
    return out;
  }

  /** Parquet message type of the data files (non-partition fields). */
  public static MessageType parquetSchema(Schema schema, List<String> partitionColumns) {
    Types.MessageTypeBuilder builder = Types.buildMessage();
    for (Field f : schema.fields()) {
      if (!partitionColumns.contains(f.name())) {
        builder.addField(parquetField(f));
      }
    }
    return builder.named("delta_data");
  }

  private static Type parquetField(Field f) {
    Types.PrimitiveBuilder<org.apache.parquet.schema.PrimitiveType> b =
        f.nullable()
            ? Types.optional(physical(f.type()))
            : Types.required(physical(f.type()));
    LogicalTypeAnnotation logical =
        switch (f.type()) {
          case STRING -> LogicalTypeAnnotation.stringType();
          case DATE -> LogicalTypeAnnotation.dateType();
          case TIMESTAMP -> LogicalTypeAnnotation.timestampType(
              true, LogicalTypeAnnotation.TimeUnit.MICROS);
          default -> null;
        };
    if (logical != null) {
      b = b.as(logical);
    }
    return b.named(f.name());
  }

  private static PrimitiveTypeName physical(FieldType type) {
    return switch (type) {
      case STRING, BINARY -> PrimitiveTypeName.BINARY;
      case INT, DATE -> PrimitiveTypeName.INT32;
      case LONG, TIMESTAMP -> PrimitiveTypeName.INT64;
      case FLOAT -> PrimitiveTypeName.FLOAT;
      case DOUBLE -> PrimitiveTypeName.DOUBLE;
      case BOOLEAN -> PrimitiveTypeName.BOOLEAN;
    };
  }
}
