package org.meshflow.bench;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.meshflow.meshtastic.ChannelHash;
import org.meshflow.meshtastic.ChannelKey;
import org.meshflow.meshtastic.ChannelKeys;
import org.meshflow.meshtastic.DecodeOutcome;
import org.meshflow.meshtastic.MeshtasticCodec;
import org.meshflow.meshtastic.PacketCipher;
import org.meshflow.meshtastic.PortNum;
import org.meshflow.meshtastic.ReceptionJson;
import org.meshflow.meshtastic.wire.Data;
import org.meshflow.meshtastic.wire.DeviceMetrics;
import org.meshflow.meshtastic.wire.MeshPacket;
import org.meshflow.meshtastic.wire.ServiceEnvelope;
import org.meshflow.meshtastic.wire.Telemetry;
import org.meshflow.records.Reception;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Uplinks decoded per second by {@link MeshtasticCodec}: a device-telemetry packet as a gateway
 * uplinks it with encryption off (plain) and on with the default key (the common case), plus the
 * cost of rendering the result as {@code ./meshflow decode} JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {
  private static final String GATEWAY = "!abcd1234";
  private static final String TOPIC = "msh/US/KS/KC/2/e/LongFast/" + GATEWAY;

  private MeshtasticCodec codec;
  private byte[] plain;
  private byte[] encrypted;
  private Reception reception;
  private Instant now;

  @Setup
  public void setUp() {
    codec = new MeshtasticCodec(ChannelKeys.defaults());
    final Telemetry telemetry = Telemetry.newBuilder().setTime(1_780_047_059)
        .setDeviceMetrics(DeviceMetrics.newBuilder().setBatteryLevel(87).setVoltage(4.05f).setChannelUtilization(12.5f)
            .setAirUtilTx(1.25f).setUptimeSeconds(3600))
        .build();
    final Data data = Data.newBuilder().setPortnum(PortNum.TELEMETRY_APP).setPayload(telemetry.toByteString())
        .setBitfield(1).build();
    final MeshPacket.Builder packet = MeshPacket.newBuilder().setFrom(0x1a2b3c4d).setTo(0xffffffff).setId(1584361601)
        .setHopLimit(2).setHopStart(3).setRxTime(1_735_689_601).setRxSnr(6.25f).setRxRssi(-92);
    plain = envelope(packet.clone().setDecoded(data).build());
    final byte[] ciphertext = PacketCipher.apply(ChannelKey.DEFAULT, 1584361601, 0x1a2b3c4d, data.toByteArray());
    encrypted = envelope(packet.clone().setChannel(ChannelHash.of("LongFast", ChannelKey.DEFAULT))
        .setEncrypted(ByteString.copyFrom(ciphertext)).build());
    now = Instant.now();
    reception = ((DecodeOutcome.Decoded) codec.decode(TOPIC, encrypted, now)).reception();
  }

  private static byte[] envelope(MeshPacket packet) {
    return ServiceEnvelope.newBuilder().setPacket(packet).setChannelId("LongFast").setGatewayId(GATEWAY).build()
        .toByteArray();
  }

  @Benchmark
  public DecodeOutcome decodePlain() {
    return codec.decode(TOPIC, plain, now);
  }

  @Benchmark
  public DecodeOutcome decodeDefaultKey() {
    return codec.decode(TOPIC, encrypted, now);
  }

  @Benchmark
  public String renderJson() {
    return ReceptionJson.render(reception);
  }
}
