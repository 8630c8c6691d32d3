package org.meshflow.jobs.decode;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.meshflow.jobs.common.AvroSerdes;
import org.meshflow.jobs.common.EventTimeExtractor;
import org.meshflow.jobs.common.StreamsSettings;
import org.meshflow.meshtastic.MeshtasticCodec;
import org.meshflow.records.LegacyStatus;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.Reception;
import org.meshflow.records.Rejected;
import org.meshflow.registry.SchemaRegistry;

/** mesh.uplink.v1 -> mesh.receptions.v1 (key = packet key), mesh.legacy-status.v1, rejects to mesh.dlq.v1. */
public final class DecodeTopology {
  public static final String APPLICATION_ID = "meshflow-decode";

  private DecodeTopology() {}

  public static Topology build(DecodeConfig config, SchemaRegistry registry, MeterRegistry meters) {
    final var codec = new MeshtasticCodec(config.keys());
    final var topology = new Topology();
    topology.addSource(AutoOffsetReset.earliest(), "uplinks", new EventTimeExtractor(), Serdes.String().deserializer(),
        AvroSerdes.reader(registry, MqttUplink.class), config.uplinksTopic());
    topology.addProcessor("decode", () -> new UplinkDecoder(config, codec, meters), "uplinks");
    topology.addSink(UplinkDecoder.RECEPTIONS, config.receptionsTopic(), Serdes.String().serializer(),
        AvroSerdes.writer(registry, Reception.class), "decode");
    topology.addSink(UplinkDecoder.LEGACY_STATUS, config.legacyStatusTopic(), Serdes.String().serializer(),
        AvroSerdes.writer(registry, LegacyStatus.class), "decode");
    topology.addSink(UplinkDecoder.DEAD_LETTERS, config.dlqTopic(), Serdes.String().serializer(),
        AvroSerdes.writer(registry, Rejected.class), "decode");
    return topology;
  }

  public static Properties streamsConfig(DecodeConfig config, String bootstrapServers, Path stateDir,
      SchemaRegistry registry) {
    return StreamsSettings.streamsConfig("decode", APPLICATION_ID, bootstrapServers, stateDir, registry, config.dlqTopic(),
        config.commitInterval());
  }
}
