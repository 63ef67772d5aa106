package io.sluice.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a JSON object straight into a {@link Row} with Jackson's streaming parser (no tree, no
 * data binding).
 *
 * <p>Fields are matched by name; unknown fields are ignored; a missing or null field is null, which
 * is an error for a non-nullable field. Coercions: INT and LONG from integral numbers (an error
 * when out of range or fractional), FLOAT and DOUBLE from numbers, STRING from strings (numbers and
 * booleans give their JSON text), BOOLEAN from true/false, TIMESTAMP (microseconds) from epoch
 * milliseconds or an ISO-8601 string with an offset or Z, DATE (days) from "yyyy-MM-dd", BINARY
 * from a base64 string. Anything else throws a {@link MalformedRecordException} naming topic, partition, offset and field.
 *
 * <p>Thread-safe: the parser factory is shared and nothing else is mutable.
 */
public final class JsonRowDeserializer implements RecordDeserializer {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private final Schema schema;
  private final FieldType[] types;
  private final String[] names;
  private final int[] required;
  private final Map<String, Integer> indexByName;

  public JsonRowDeserializer(Schema schema) {
    this.schema = schema;
    int n = schema.size();
    this.types = new FieldType[n];
    this.names = new String[n];
    this.indexByName = new HashMap<>(n * 2);
    int requiredCount = 0;
    for (int i = 0; i < n; i++) {
      Field field = schema.field(i);
      types[i] = field.type();
      names[i] = field.name();
      indexByName.put(field.name(), i);
      if (!field.nullable()) {
        requiredCount++;
      }
    }
    this.required = new int[requiredCount];
    for (int i = 0, r = 0; i < n; i++) {
      if (!schema.field(i).nullable()) {
        required[r++] = i;
      }
    }
  }

  public Schema schema() {
    return schema;
  }

  @Override
  public Row deserialize(byte[] key, byte[] value, String topic, int partition, long offset,
      long timestamp) {
    if (value == null) {
      throw new MalformedRecordException(topic, partition, offset, null,
          "the record has no value (a tombstone), expected a JSON object");
    }
    Object[] values = new Object[types.length];
    JsonParser parser = null;
    try {
      parser = FACTORY.createParser(value);
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedRecordException(topic, partition, offset, null,
            "expected a JSON object, got " + describe(parser.currentToken(), parser));
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        Integer index = indexByName.get(parser.currentName());
        JsonToken valueToken = parser.nextToken();
        if (index == null) {
          parser.skipChildren();
          continue;
        }
        int field = index;
        values[field] = valueToken == JsonToken.VALUE_NULL ? null
            : read(parser, valueToken, types[field], topic, partition, offset, names[field]);
      }
      if (token != JsonToken.END_OBJECT) {
        throw new MalformedRecordException(topic, partition, offset, null,
            "invalid JSON: unexpected " + describe(token, parser) + " in the object");
      }
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        throw new MalformedRecordException(topic, partition, offset, null,
            "invalid JSON: trailing " + describe(trailing, parser) + " after the object");
      }
    } catch (StreamReadException e) {
      throw new MalformedRecordException(topic, partition, offset, fieldAt(parser),
          "invalid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset()), e);
    } catch (JsonProcessingException e) {
      throw new MalformedRecordException(topic, partition, offset, fieldAt(parser),
          "invalid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new MalformedRecordException(topic, partition, offset, null,
          "unreadable value: " + e.getMessage(), e);
    } finally {
      if (parser != null) {
        try {
          parser.close();
        } catch (IOException ignored) {
          // reading from a byte array: nothing to release
        }
      }
    }
    for (int index : required) {
      if (values[index] == null) {
        throw new MalformedRecordException(topic, partition, offset, names[index],
            "missing or null, but the field is not nullable");
      }
    }
    return new Row(values);
  }

  private static Object read(JsonParser parser, JsonToken token, FieldType type, String topic,
      int partition, long offset, String name) throws IOException {
    switch (type) {
      case STRING:
        if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT
            || token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_TRUE
            || token == JsonToken.VALUE_FALSE) {
          return parser.getText();
        }
        break;
      case INT:
        if (token == JsonToken.VALUE_NUMBER_INT) {
          if (parser.getNumberType() == JsonParser.NumberType.INT) {
            return parser.getIntValue();
          }
          throw new MalformedRecordException(topic, partition, offset, name,
              parser.getText() + " is out of range for INT");
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
          return (int) integral(parser, Integer.MIN_VALUE, Integer.MAX_VALUE, "INT", topic,
              partition, offset, name);
        }
        break;
      case LONG:
        if (token == JsonToken.VALUE_NUMBER_INT) {
          JsonParser.NumberType numberType = parser.getNumberType();
          if (numberType == JsonParser.NumberType.INT || numberType == JsonParser.NumberType.LONG) {
            return parser.getLongValue();
          }
          throw new MalformedRecordException(topic, partition, offset, name,
              parser.getText() + " is out of range for LONG");
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
          return integral(parser, Long.MIN_VALUE, Long.MAX_VALUE, "LONG", topic, partition,
              offset, name);
        }
        break;
      case FLOAT:
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
          float f = parser.getFloatValue();
          if (Float.isInfinite(f)) {
            throw new MalformedRecordException(topic, partition, offset, name,
                parser.getText() + " is out of range for FLOAT");
          }
          return f;
        }
        break;
      case DOUBLE:
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
          double d = parser.getDoubleValue();
          if (Double.isInfinite(d)) {
            throw new MalformedRecordException(topic, partition, offset, name,
                parser.getText() + " is out of range for DOUBLE");
          }
          return d;
        }
        break;
      case BOOLEAN:
        if (token == JsonToken.VALUE_TRUE) {
          return Boolean.TRUE;
        }
        if (token == JsonToken.VALUE_FALSE) {
          return Boolean.FALSE;
        }
        break;
      case TIMESTAMP:
        if (token == JsonToken.VALUE_NUMBER_INT) {
          if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new MalformedRecordException(topic, partition, offset, name,
                parser.getText() + " is out of range for a TIMESTAMP in epoch milliseconds");
          }
          long millis = parser.getLongValue();
          if (millis > Long.MAX_VALUE / 1000 || millis < Long.MIN_VALUE / 1000) {
            throw new MalformedRecordException(topic, partition, offset, name,
                millis + " is out of range for a TIMESTAMP in epoch milliseconds");
          }
          return millis * 1000;
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
          try {
            return parser.getDecimalValue().movePointRight(3).setScale(0, RoundingMode.FLOOR)
                .longValueExact();
          } catch (ArithmeticException e) {
            throw new MalformedRecordException(topic, partition, offset, name,
                parser.getText() + " is out of range for a TIMESTAMP in epoch milliseconds");
          }
        }
        if (token == JsonToken.VALUE_STRING) {
          String text = parser.getText();
          try {
            OffsetDateTime time = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return Math.addExact(Math.multiplyExact(time.toEpochSecond(), 1_000_000L),
                time.getNano() / 1_000);
          } catch (DateTimeParseException | ArithmeticException e) {
            throw new MalformedRecordException(topic, partition, offset, name, "'" + text
                + "' is not an ISO-8601 timestamp with an offset (e.g. 2024-05-01T12:30:00Z)");
          }
        }
        break;
      case DATE:
        if (token == JsonToken.VALUE_STRING) {
          String text = parser.getText();
          try {
            return Math.toIntExact(LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE)
                .toEpochDay());
          } catch (DateTimeParseException | ArithmeticException e) {
            throw new MalformedRecordException(topic, partition, offset, name,
                "'" + text + "' is not a date in the form yyyy-MM-dd");
          }
        }
        break;
      case BINARY:
        if (token == JsonToken.VALUE_STRING) {
          try {
            return parser.getBinaryValue();
          } catch (StreamReadException e) {
            throw new MalformedRecordException(topic, partition, offset, name,
                "not a base64 string (BINARY): " + e.getOriginalMessage());
          }
        }
        break;
      default:
        throw new IllegalStateException("unknown field type " + type);
    }
    throw new MalformedRecordException(topic, partition, offset, name,
        "expected " + expectation(type) + ", got " + describe(token, parser));
  }

  /** A JSON number with a fraction or exponent that must hold an integral value in range. */
  private static long integral(JsonParser parser, long min, long max, String typeName,
      String topic, int partition, long offset, String name) throws IOException {
    BigDecimal decimal = parser.getDecimalValue();
    long value;
    try {
      value = decimal.setScale(0, RoundingMode.UNNECESSARY).longValueExact();
    } catch (ArithmeticException e) {
      boolean fractional = decimal.signum() != 0 && decimal.stripTrailingZeros().scale() > 0;
      throw new MalformedRecordException(topic, partition, offset, name, parser.getText()
          + (fractional ? " is not an integral number (" + typeName + ")"
              : " is out of range for " + typeName));
    }
    if (value < min || value > max) {
      throw new MalformedRecordException(topic, partition, offset, name,
          parser.getText() + " is out of range for " + typeName);
    }
    return value;
  }

  /** The schema field whose value the parser was reading, or null. */
  private String fieldAt(JsonParser parser) {
    if (parser == null) {
      return null;
    }
    String name = parser.getParsingContext().getCurrentName();
    return name != null && indexByName.containsKey(name) ? name : null;
  }

  private static String expectation(FieldType type) {
    return switch (type) {
      case STRING -> "a string (STRING)";
      case INT -> "an integral number (INT)";
      case LONG -> "an integral number (LONG)";
      case FLOAT -> "a number (FLOAT)";
      case DOUBLE -> "a number (DOUBLE)";
      case BOOLEAN -> "true or false (BOOLEAN)";
      case TIMESTAMP -> "epoch milliseconds or an ISO-8601 string (TIMESTAMP)";
      case DATE -> "a \"yyyy-MM-dd\" string (DATE)";
      case BINARY -> "a base64 string (BINARY)";
    };
  }

  private static String describe(JsonToken token, JsonParser parser) {
    if (token == null) {
      return "end of input";
    }
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case FIELD_NAME -> "a field name";
      case END_OBJECT -> "end of object";
      case END_ARRAY -> "end of array";
      default -> token.toString();
    };
  }
}
