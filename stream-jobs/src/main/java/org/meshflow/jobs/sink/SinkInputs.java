package org.meshflow.jobs.sink;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.meshflow.jobs.common.AvroSerdes;
import org.meshflow.records.Alert;
import org.meshflow.records.MeshPacket;
import org.meshflow.records.NodeState;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Reception;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.RouterStatus;
import org.meshflow.serde.TrustedRecords;
import org.meshflow.registry.SchemaRegistry;

/** The record type of each input topic, read with the registry's Avro serde. */
final class SinkInputs {
  private SinkInputs() {}

  static Map<String, Deserializer<? extends SpecificRecord>> readers(SinkConfig config, SchemaRegistry registry) {
    TrustedRecords.install();
    final var readers = new HashMap<String, Deserializer<? extends SpecificRecord>>();
    readers.put(config.packetsTopic(), AvroSerdes.reader(registry, MeshPacket.class));
    readers.put(config.receptionsTopic(), AvroSerdes.reader(registry, Reception.class));
    readers.put(config.heardByTopic(), AvroSerdes.reader(registry, PacketHeardBy.class));
    readers.put(config.routerStatusTopic(), AvroSerdes.reader(registry, RouterStatus.class));
    readers.put(config.outagesTopic(), AvroSerdes.reader(registry, RouterOutage.class));
    readers.put(config.alertsTopic(), AvroSerdes.reader(registry, Alert.class));
    readers.put(config.nodesTopic(), AvroSerdes.reader(registry, NodeState.class));
    return readers;
  }
}
