package org.meshflow.jobs.mqtt;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.meshflow.records.Alert;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.RouterStatus;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.serde.AvroSerde;

/**
 * Turns alerts and router state into what Home Assistant and Node-RED read over MQTT: alert events,
 * retained router state and attributes, and Home Assistant discovery. Writes MQTT outboxes (key = MQTT
 * topic, value = payload bytes) that the broker bridge publishes.
 */
public final class MqttOutputTopology {
  static final String ROUTERS_STORE = "mqtt-output-routers";

  private MqttOutputTopology() {}

  public static Topology build(MqttOutputConfig config, SchemaRegistry registry) {
    final var strings = Serdes.String();
    final var bytes = Serdes.ByteArray();
    final var topology = new Topology();
    topology.addSource("alerts", strings.deserializer(),
        AvroSerde.specific(registry, Alert.class).deserializer(), config.alertsTopic());
    topology.addSource("router-status", strings.deserializer(),
        AvroSerde.specific(registry, RouterStatus.class).deserializer(), config.statusTopic());
    topology.addSource("router-outages", strings.deserializer(),
        AvroSerde.specific(registry, RouterOutage.class).deserializer(), config.outagesTopic());

    topology.addProcessor("alert-events", () -> new AlertEventProcessor(config), "alerts");
    topology.addProcessor("router-projection", () -> new RouterProjectionProcessor(config),
        "router-status", "router-outages");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ROUTERS_STORE),
        strings, AvroSerde.specific(registry, RouterStatus.class)), "router-projection");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ROUTERS_STORE + "-outages"),
        strings, strings), "router-projection");

    topology.addSink("events-out", config.eventsOutTopic(), strings.serializer(), bytes.serializer(), "alert-events");
    topology.addSink("retained-out", config.retainedOutTopic(), strings.serializer(), bytes.serializer(),
        "router-projection");
    return topology;
  }
}
