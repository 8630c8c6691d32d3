package org.meshflow.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.Reception;
import org.meshflow.registry.InMemorySchemaRegistry;

class AvroSerdeTest {
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final AvroSerde<Reception> receptions = AvroSerde.specific(registry, Reception.class);

  @Test
  void aReceptionWithTelemetryComesBackEqualInTheConfluentWireFormat() {
    final var reception = SampleRecords.telemetryReception();
    final byte[] bytes = receptions.serialize("mesh.receptions.v1", reception);

    final int id = registry.lookup("mesh.receptions.v1-value", Reception.getClassSchema()).orElseThrow();
    assertThat(bytes[0]).isEqualTo((byte) 0);
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    assertThat(receptions.deserialize("mesh.receptions.v1", bytes)).isEqualTo(reception);
  }

  @Test
  void anUplinkWithTimestampAndBytesComesBackEqual() {
    final var serde = AvroSerde.specific(registry, MqttUplink.class);
    final var uplink = SampleRecords.uplink();
    assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", uplink))).isEqualTo(uplink);
  }

  @Test
  void genericRecordsAreReadWithTheirWriterSchema() {
    final var serde = AvroSerde.generic(registry);
    final GenericRecord read = serde.deserialize("sensors", serde.serialize("sensors", SampleRecords.sensor("s1", 21.5)));
    assertThat(read.getSchema()).isEqualTo(SampleRecords.SENSOR);
    assertThat(read.get("id").toString()).isEqualTo("s1");
    assertThat(read.get("celsius")).isEqualTo(21.5);
  }

  @Test
  void aGeneratedRecordIsReadGenericallyByTheSerializerAndDeserializerPair() {
    final var bytes = new AvroSerializer<Reception>(registry).serialize("r", SampleRecords.telemetryReception());
    final GenericRecord generic = new AvroDeserializer<GenericRecord>(registry, false).deserialize("r", bytes);
    assertThat(generic.get("gatewayId").toString()).isEqualTo("!a1b2c3d4");
    final Reception specific = new AvroDeserializer<Reception>(registry, true).deserialize("r", bytes);
    assertThat(specific).isEqualTo(SampleRecords.telemetryReception());
  }

  @Test
  void garbageIsASerializationExceptionNamingTheProblem() {
    assertThatThrownBy(() -> receptions.deserialize("t", new byte[] {0, 0}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("not in Confluent wire format");
    assertThatThrownBy(() -> receptions.deserialize("t", "{\"json\":true}".getBytes()))
        .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte is 123, expected 0");
  }

  @Test
  void anUnknownSchemaIdIsASerializationException() {
    assertThatThrownBy(() -> receptions.deserialize("mesh.receptions.v1", new byte[] {0, 0, 0, 0x30, 0x39, 2, 'a'}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown schema id 12345").hasMessageContaining("mesh.receptions.v1");
  }

  @Test
  void aKnownIdFollowedByUnreadableBytesIsASerializationException() {
    final byte[] good = receptions.serialize("t", SampleRecords.telemetryReception());
    final byte[] truncated = Arrays.copyOf(good, 12);
    assertThatThrownBy(() -> receptions.deserialize("t", truncated))
        .isInstanceOf(SerializationException.class).hasMessageContaining("cannot read a record of topic t");

    // a string announcing ~1 GiB: must fail as bad data, not exhaust the heap
    final byte[] huge = {0, good[1], good[2], good[3], good[4], (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
    assertThatThrownBy(() -> receptions.deserialize("t", huge))
        .isInstanceOf(SerializationException.class).hasMessageContaining("cannot read a record of topic t");

    final byte[] trailing = Arrays.copyOf(good, good.length + 3);
    assertThatThrownBy(() -> receptions.deserialize("t", trailing))
        .isInstanceOf(SerializationException.class).hasMessageContaining("trailing bytes");
  }

  @Test
  void nullsStayNull() {
    assertThat(receptions.serialize("t", null)).isNull();
    assertThat(receptions.deserialize("t", null)).isNull();
  }
}
