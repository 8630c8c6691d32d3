package org.meshflow.launcher.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * What Home Assistant (or Node-RED) sees: an MQTT 5 client of the reader user subscribed to
 * Meshflow's root and to discovery, keeping every message it got in {@code seen}.
 */
final class HomeAssistant implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Message(String topic, String payload, boolean retained) {}

  private final Mqtt5BlockingClient client;
  private final List<Message> seen;

  private HomeAssistant(Mqtt5BlockingClient client, List<Message> seen) {
    this.client = client;
    this.seen = seen;
  }

  /** Connects as {@code user}; messages go to {@code seen}, so several connections can share one record. */
  static HomeAssistant connect(int port, String user, String password, List<Message> seen) {
    final Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier("home-assistant")
        .serverHost("127.0.0.1").serverPort(port).simpleAuth().username(user)
        .password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
    client.connect();
    for (String filter : List.of("meshflow/#", "homeassistant/#")) {
      client.toAsync().subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
          .callback(p -> seen.add(new Message(p.getTopic().toString(),
              new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8), p.isRetain()))).send().join();
    }
    return new HomeAssistant(client, seen);
  }

  Mqtt5BlockingClient client() {
    return client;
  }

  static List<JsonNode> alerts(List<Message> seen, String router, String type) {
    return seen.stream().filter(m -> m.topic().equals("meshflow/alerts/" + router)).map(m -> json(m.payload()))
        .filter(a -> type == null || a.get("type").asText().equals(type)).toList();
  }

  static List<String> states(List<Message> seen, String router) {
    return seen.stream().filter(m -> m.topic().equals("meshflow/routers/" + router + "/state")).map(Message::payload)
        .toList();
  }

  static Optional<Message> discovery(List<Message> seen, String router) {
    final String topic = "homeassistant/binary_sensor/meshflow_" + router.substring(1) + "/connectivity/config";
    return seen.stream().filter(m -> m.topic().equals(topic)).findFirst();
  }

  static JsonNode json(String payload) {
    try {
      return JSON.readTree(payload);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + payload, e);
    }
  }

  @Override
  public void close() {
    if (client.getState().isConnected()) {
      client.disconnect();
    }
  }
}
