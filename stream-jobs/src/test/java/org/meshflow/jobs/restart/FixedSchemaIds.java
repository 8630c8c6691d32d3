package org.meshflow.jobs.restart;

import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.meshflow.records.Alert;
import org.meshflow.records.ClientSession;
import org.meshflow.records.GatewayDuplicates;
import org.meshflow.records.LegacyStatus;
import org.meshflow.records.MeshPacket;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.NodeState;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Reception;
import org.meshflow.records.Rejected;
import org.meshflow.records.RouterHealthState;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.RouterStatus;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.registry.SchemaRegistry;

/**
 * An in-memory registry that gives every record schema the same id in every process, so a test
 * and the job process it starts (and kills) read each other's records.
 */
final class FixedSchemaIds {
  private static final List<Class<? extends SpecificRecord>> RECORDS = List.of(MqttUplink.class, ClientSession.class,
      Reception.class, MeshPacket.class, PacketHeardBy.class, RouterStatus.class, RouterOutage.class, Alert.class,
      NodeState.class, Rejected.class, LegacyStatus.class, RouterHealthState.class, GatewayDuplicates.class);

  private FixedSchemaIds() {}

  static SchemaRegistry registry() {
    final var registry = new InMemorySchemaRegistry();
    for (Class<? extends SpecificRecord> type : RECORDS) {
      registry.register("fixed-" + type.getSimpleName(), SpecificData.get().getSchema(type));
    }
    return registry;
  }
}
