package org.meshflow.bench;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.meshflow.records.DeviceMetrics;
import org.meshflow.records.Reception;
import org.meshflow.records.Telemetry;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.serde.AvroSerde;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Confluent-framed Avro serde on a decoded Reception with a telemetry payload, the record the
 * decode job writes for every copy a gateway uploads. The registry is in memory, so this measures
 * the serde and its caches, not HTTP.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SerdeBenchmark {
  private static final String TOPIC = "mesh.receptions.v1";
  private AvroSerde<Reception> serde;
  private Reception reception;
  private byte[] bytes;

  @Setup
  public void setUp() {
    serde = AvroSerde.specific(new InMemorySchemaRegistry(), Reception.class);
    reception = Reception.newBuilder()
        .setTopic("msh/US/KS/2/e/LongFast/!a1b2c3d4").setRoot("msh/US/KS").setGatewayId("!a1b2c3d4")
        .setChannelId("LongFast").setFrom("!0badf00d").setTo("!ffffffff").setPacketId(3_735_928_559L)
        .setPacketKey("!0badf00d/3735928559").setChannelHash(8).setHopLimit(2).setHopStart(3).setHopsAway(1)
        .setRxTime(1_735_689_601L).setRxSnr(-7.25f).setRxRssi(-112).setViaMqtt(false).setEncrypted(true)
        .setDecrypted(true).setPortnum("TELEMETRY_APP")
        .setPayload(Telemetry.newBuilder().setTime(1_735_689_600L)
            .setDeviceMetrics(DeviceMetrics.newBuilder().setBatteryLevel(87).setVoltage(4.05f)
                .setChannelUtilization(12.5f).setAirUtilTx(1.25f).setUptimeSeconds(86_400L).build())
            .build())
        .setPayloadBytes(ByteBuffer.wrap(new byte[] {0x0d, 0x00, 0x01, 0x02}))
        .setReceivedAt(Instant.ofEpochMilli(1_735_689_601_234L))
        .build();
    bytes = serde.serialize(TOPIC, reception);
  }

  @Benchmark
  public Reception serializeAndDeserialize() {
    return serde.deserialize(TOPIC, serde.serialize(TOPIC, reception));
  }

  @Benchmark
  public byte[] serialize() {
    return serde.serialize(TOPIC, reception);
  }

  @Benchmark
  public Reception deserialize() {
    return serde.deserialize(TOPIC, bytes);
  }
}
