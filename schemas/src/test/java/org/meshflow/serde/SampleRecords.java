package org.meshflow.serde;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.meshflow.records.DeviceMetrics;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.Reception;
import org.meshflow.records.Telemetry;
import org.meshflow.records.UserProperty;

/** Records as the pipeline produces them, for serde tests and benchmarks. */
public final class SampleRecords {
  private SampleRecords() {}

  public static Reception telemetryReception() {
    final var telemetry = Telemetry.newBuilder().setTime(1_735_689_600L)
        .setDeviceMetrics(DeviceMetrics.newBuilder().setBatteryLevel(87).setVoltage(4.05f)
            .setChannelUtilization(12.5f).setAirUtilTx(1.25f).setUptimeSeconds(86_400L).build())
        .build();
    return Reception.newBuilder()
        .setTopic("msh/US/KS/2/e/LongFast/!a1b2c3d4").setRoot("msh/US/KS").setGatewayId("!a1b2c3d4")
        .setChannelId("LongFast").setFrom("!0badf00d").setTo("!ffffffff").setPacketId(3_735_928_559L)
        .setPacketKey("!0badf00d/3735928559").setChannelHash(8).setHopLimit(2).setHopStart(3).setHopsAway(1)
        .setRxTime(1_735_689_601L).setRxSnr(-7.25f).setRxRssi(-112).setViaMqtt(false).setEncrypted(true)
        .setDecrypted(true).setPortnum("TELEMETRY_APP").setPayload(telemetry)
        .setPayloadBytes(ByteBuffer.wrap(new byte[] {0x0d, 0x00, 0x01, 0x02}))
        .setReceivedAt(Instant.ofEpochMilli(1_735_689_601_234L))
        .build();
  }

  public static MqttUplink uplink() {
    return MqttUplink.newBuilder().setTopic("msh/US/KS/2/e/LongFast/!a1b2c3d4")
        .setPayload(ByteBuffer.wrap("\u0001\u0002envelope".getBytes(StandardCharsets.UTF_8)))
        .setQos(1).setRetain(false).setClientId("!a1b2c3d4").setUsername("gateway")
        .setUserProperties(List.of(new UserProperty("region", "KS")))
        .setReceivedAt(Instant.ofEpochMilli(1_735_689_601_000L)).build();
  }

  public static final Schema SENSOR = new Schema.Parser().parse("""
      {"type":"record","name":"Sensor","namespace":"org.example","fields":[
        {"name":"id","type":"string"},{"name":"celsius","type":"double"}]}""");

  public static GenericRecord sensor(String id, double celsius) {
    final var record = new GenericData.Record(SENSOR);
    record.put("id", id);
    record.put("celsius", celsius);
    return record;
  }
}
