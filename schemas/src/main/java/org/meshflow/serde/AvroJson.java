package org.meshflow.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * Avro values as the JSON a person (or Home Assistant) expects: unions unwrapped to their value,
 * timestamps as ISO-8601, enums as their symbol, bytes as Base64. Not Avro's own JSON encoding.
 */
public final class AvroJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AvroJson() {}

  public static byte[] bytes(GenericRecord record) {
    try {
      return MAPPER.writeValueAsBytes(node(record, record.getSchema()));
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot render " + record.getSchema().getFullName() + " as JSON: " + e, e);
    }
  }

  public static JsonNode node(Object value, Schema schema) {
    if (value == null) {
      return NODES.nullNode();
    }
    return switch (schema.getType()) {
      case UNION -> node(value, value instanceof Instant
          // generic data cannot place a generated class's Instant in a union; it is the timestamp branch
          ? schema.getTypes().stream().filter(t -> t.getType() == Schema.Type.LONG).findFirst().orElseThrow()
          : schema.getTypes().get(GenericData.get().resolveUnion(schema, value)));
      case RECORD -> {
        final var record = (GenericRecord) value;
        final ObjectNode object = NODES.objectNode();
        for (final var field : schema.getFields()) {
          object.set(field.name(), node(record.get(field.pos()), field.schema()));
        }
        yield object;
      }
      case ARRAY -> {
        final ArrayNode array = NODES.arrayNode();
        ((Collection<?>) value).forEach(item -> array.add(node(item, schema.getElementType())));
        yield array;
      }
      case MAP -> {
        final ObjectNode object = NODES.objectNode();
        ((Map<?, ?>) value).forEach((k, v) -> object.set(k.toString(), node(v, schema.getValueType())));
        yield object;
      }
      // generated (specific) classes carry timestamp-millis as Instant, generic records as long
      case LONG -> value instanceof Instant at ? NODES.textNode(at.toString()) : timestamp((Long) value, schema);
      case INT -> schema.getLogicalType() instanceof LogicalTypes.Date
          ? NODES.textNode(LocalDate.ofEpochDay((Integer) value).toString()) : NODES.numberNode((Integer) value);
      case FLOAT -> finite(((Float) value).doubleValue());
      case DOUBLE -> finite((Double) value);
      case BOOLEAN -> NODES.booleanNode((Boolean) value);
      case BYTES -> NODES.textNode(Base64.getEncoder().encodeToString(bytes((ByteBuffer) value)));
      case FIXED -> NODES.textNode(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
      case NULL -> NODES.nullNode();
      default -> NODES.textNode(value.toString());
    };
  }

  private static JsonNode timestamp(long value, Schema schema) {
    final var logical = schema.getLogicalType();
    if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.LocalTimestampMillis) {
      return NODES.textNode(Instant.ofEpochMilli(value).toString());
    }
    if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.LocalTimestampMicros) {
      return NODES.textNode(Instant.EPOCH.plusNanos(value * 1000).toString());
    }
    return NODES.numberNode(value);
  }

  private static JsonNode finite(double value) {
    return Double.isFinite(value) ? NODES.numberNode(value) : NODES.nullNode();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    final var copy = new byte[buffer.remaining()];
    buffer.duplicate().get(copy);
    return copy;
  }
}
