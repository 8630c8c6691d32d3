package org.meshflow.meshtastic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.meshflow.records.Reception;

/**
 * A {@link Reception} as the JSON object of MESHTASTIC.md section 6 (the output of
 * {@code ./meshflow decode}): top-level names in that order, payload with the Avro field names,
 * nested nulls left out. Floats print as the float they are (3.35, not 3.3499999).
 */
public final class ReceptionJson {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER) // shortest round-trip digits, also on JDK 17
      .build();

  private ReceptionJson() {}

  public static String render(Reception r) {
    final var text = new StringWriter(512);
    try (JsonGenerator json = FACTORY.createGenerator(text)) {
      write(json, r);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    return text.toString();
  }

  /** Writes the reception as one JSON object to an open generator. */
  public static void write(JsonGenerator json, Reception r) throws IOException {
    json.writeStartObject();
    json.writeStringField("topic", r.getTopic());
    json.writeStringField("gatewayId", r.getGatewayId());
    json.writeStringField("channelId", r.getChannelId());
    json.writeStringField("from", r.getFrom());
    json.writeStringField("to", r.getTo());
    json.writeNumberField("packetId", r.getPacketId());
    json.writeStringField("packetKey", r.getPacketKey());
    if (r.getEncrypted() && r.getChannelHash() != null) {
      json.writeNumberField("channelHash", r.getChannelHash());
    }
    json.writeNumberField("hopLimit", r.getHopLimit());
    json.writeNumberField("hopStart", r.getHopStart());
    json.writeFieldName("hopsAway");
    value(json, r.getHopsAway());
    if (r.getRxTime() != null) {
      json.writeNumberField("rxTime", r.getRxTime());
    }
    json.writeFieldName("rxSnr");
    value(json, r.getRxSnr());
    json.writeNumberField("rxRssi", r.getRxRssi());
    json.writeBooleanField("viaMqtt", r.getViaMqtt());
    json.writeBooleanField("encrypted", r.getEncrypted());
    json.writeBooleanField("decrypted", r.getDecrypted());
    json.writeFieldName("portnum");
    value(json, r.getPortnum());
    if (r.getPayload() != null) {
      json.writeFieldName("payload");
      value(json, r.getPayload());
    }
    json.writeEndObject();
  }

  private static void value(JsonGenerator json, Object value) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof SpecificRecord record) {
      record(json, record);
    } else if (value instanceof Collection<?> items) {
      json.writeStartArray();
      for (Object item : items) {
        value(json, item);
      }
      json.writeEndArray();
    } else if (value instanceof Float f) {
      if (f.isNaN() || f.isInfinite()) {
        json.writeNull(); // JSON has no NaN; a NaN SNR from the network must not break the line
      } else {
        json.writeNumber(f);
      }
    } else if (value instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        json.writeNull();
      } else {
        json.writeNumber(d);
      }
    } else if (value instanceof Integer i) {
      json.writeNumber(i);
    } else if (value instanceof Long l) {
      json.writeNumber(l);
    } else if (value instanceof Boolean b) {
      json.writeBoolean(b);
    } else {
      json.writeString(value.toString());
    }
  }

  private static void record(JsonGenerator json, SpecificRecord record) throws IOException {
    json.writeStartObject();
    for (Schema.Field field : record.getSchema().getFields()) {
      final Object fieldValue = record.get(field.pos());
      if (fieldValue != null) {
        json.writeFieldName(field.name());
        value(json, fieldValue);
      }
    }
    json.writeEndObject();
  }
}
