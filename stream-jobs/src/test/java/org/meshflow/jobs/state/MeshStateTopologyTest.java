package org.meshflow.jobs.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;
import org.meshflow.jobs.common.StreamsSettings;
import org.meshflow.records.Alert;
import org.meshflow.records.HeardBy;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.RouterOutage;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.serde.AvroSerde;

class MeshStateTopologyTest {
  private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");

  @Test
  void keepsOutagesAlertsAndHeardByListsQueryableByKeyAndTime() {
    final var registry = new InMemorySchemaRegistry();
    final var config = MeshStateConfig.defaults();
    final var props = StreamsSettings.streamsConfig("state", "t", "dummy:9092", java.nio.file.Path.of("target/tt-state"),
        registry, config.dlqTopic());
    try (var driver = new TopologyTestDriver(MeshStateTopology.build(config, registry), props)) {
      final var outages = driver.createInputTopic(config.outagesTopic(), Serdes.String().serializer(),
          AvroSerde.specific(registry, RouterOutage.class).serializer());
      final var heard = driver.createInputTopic(config.heardByTopic(), Serdes.String().serializer(),
          AvroSerde.specific(registry, PacketHeardBy.class).serializer());
      final var alerts = driver.createInputTopic(config.alertsTopic(), Serdes.String().serializer(),
          AvroSerde.specific(registry, Alert.class).serializer());
      for (int i = 0; i < 2; i++) { // an outage reported twice is kept once
        outages.pipeInput("!0000a001", RouterOutage.newBuilder().setRouterId("!0000a001").setOutageId("o1")
            .setStartedAt(T0).setEndedAt(T0.plusSeconds(300)).setDurationSeconds(300).setCause("CONNECTION_LOST")
            .setAlerted(false).build(), T0.plusSeconds(300));
      }
      heard.pipeInput("!0000b002/77", PacketHeardBy.newBuilder().setPacketKey("!0000b002/77").setFrom("!0000b002")
          .setPacketId(77).setFirstHeardAt(T0).setLastHeardAt(T0.plusSeconds(2)).setCopies(1)
          .setHeardBy(List.of(HeardBy.newBuilder().setGatewayId("!0000a001").setRxRssi(-80).setRxSnr(6.5f)
              .setHopLimit(3).setRelayNode(0).setCopies(1).setReceivedAt(T0).build())).build(), T0.plusSeconds(2));
      alerts.pipeInput("!0000a001", Alert.newBuilder().setAlertId("a1").setType("ROUTER_RECOVERED").setSubject("!0000a001")
          .setSeverity("info").setAt(T0.plusSeconds(300)).setMessage("back").setDetails(Map.of()).build());

      assertThat(values(driver.getWindowStore(MeshStateTopology.OUTAGES_STORE), "!0000a001")).hasSize(1);
      final var lists = values(driver.getWindowStore(MeshStateTopology.HEARD_BY_STORE), "!0000b002/77");
      assertThat(lists).hasSize(1);
      // generated classes carry timestamps as Instant, also inside unions: the tools' JSON must cope
      final var json = org.meshflow.serde.AvroJson.node(lists.get(0), PacketHeardBy.getClassSchema());
      assertThat(json.get("firstHeardAt").asText()).isEqualTo(T0.toString());
      assertThat(json.at("/heardBy/0/receivedAt").asText()).isEqualTo(T0.toString());
      assertThat(values(driver.getWindowStore(MeshStateTopology.ALERTS_STORE), "!0000a001")).hasSize(1);
    }
  }

  private static List<Object> values(WindowStore<String, Object> store, String key) {
    final var found = new ArrayList<Object>();
    try (var it = store.fetch(key, Instant.EPOCH, Instant.now().plusSeconds(86_400))) {
      it.forEachRemaining(kv -> found.add(kv.value));
    }
    return found;
  }
}
