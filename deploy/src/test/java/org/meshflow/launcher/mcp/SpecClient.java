package org.meshflow.launcher.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An MCP-over-MQTT client written from the specification only (mqtt-ai/mcp-over-mqtt, 2025-03-26
 * transport): MQTT 5, clean start with session expiry 0, the user properties on CONNECT and every
 * PUBLISH, a will on its presence topic, No Local on RPC subscriptions. It records every message.
 */
final class SpecClient implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  record Received(String topic, JsonNode json, byte[] payload, boolean retained, Map<String, String> properties) {}

  final String clientId;
  final List<Received> received = new CopyOnWriteArrayList<>();
  private final Mqtt5AsyncClient mqtt;

  SpecClient(int port, String username, String password, String clientId) {
    this.clientId = clientId;
    this.mqtt = MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost("127.0.0.1").serverPort(port)
        .simpleAuth().username(username).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
        .willPublish().topic("$mcp-client/presence/" + clientId)
        .payload("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/disconnected\"}".getBytes(StandardCharsets.UTF_8))
        .qos(MqttQos.AT_LEAST_ONCE).retain(false).userProperties(own()).applyWillPublish()
        .buildAsync();
    mqtt.publishes(MqttGlobalPublishFilter.ALL, this::record);
    join(mqtt.connectWith().cleanStart(true).sessionExpiryInterval(0).userProperties()
        .add("MCP-COMPONENT-TYPE", "mcp-client").add("MCP-META", "{\"implementation\":\"spec-client\"}")
        .applyUserProperties().send());
  }

  private Mqtt5UserProperties own() {
    return Mqtt5UserProperties.builder().add("MCP-COMPONENT-TYPE", "mcp-client").add("MCP-MQTT-CLIENT-ID", clientId)
        .build();
  }

  private void record(Mqtt5Publish publish) {
    final byte[] payload = publish.getPayloadAsBytes();
    JsonNode json = null;
    try {
      json = payload.length == 0 ? null : JSON.readTree(payload);
    } catch (java.io.IOException e) {
      // kept with json null; a test asserting on it fails with the payload in view
    }
    final Map<String, String> properties = new HashMap<>();
    publish.getUserProperties().asList().forEach(p -> properties.put(p.getName().toString(), p.getValue().toString()));
    received.add(new Received(publish.getTopic().toString(), json, payload, publish.isRetain(), properties));
  }

  void subscribe(String filter, boolean noLocal) {
    join(mqtt.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).noLocal(noLocal).send());
  }

  void unsubscribe(String filter) {
    join(mqtt.unsubscribeWith().topicFilter(filter).send());
  }

  static String rpc(String clientId, String serverId, String serverName) {
    return "$mcp-rpc/" + clientId + "/" + serverId + "/" + serverName;
  }

  /** Subscribes to the RPC and capability topics, then publishes initialize on the control topic. */
  void sendInitialize(String serverId, String serverName, Object id, String version) {
    subscribe(rpc(clientId, serverId, serverName), true);
    subscribe("$mcp-server/capability/" + serverId + "/" + serverName, false);
    publish("$mcp-server/" + serverId + "/" + serverName, initialize(id, version), true, MqttQos.AT_LEAST_ONCE);
  }

  static ObjectNode initialize(Object id, String version) {
    final ObjectNode params = JSON.createObjectNode().put("protocolVersion", version);
    params.putObject("capabilities");
    params.putObject("clientInfo").put("name", "spec-client").put("version", "1");
    return request(id, "initialize", params);
  }

  static ObjectNode request(Object id, String method, JsonNode params) {
    final ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0");
    message.set("id", JSON.valueToTree(id));
    message.put("method", method);
    if (params != null) {
      message.set("params", params);
    }
    return message;
  }

  static ObjectNode notification(String method) {
    return JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
  }

  void publish(String topic, JsonNode message, boolean withClientId, MqttQos qos) {
    final var properties = withClientId ? own()
        : Mqtt5UserProperties.builder().add("MCP-COMPONENT-TYPE", "mcp-client").build();
    join(mqtt.publishWith().topic(topic).qos(qos).payload(message.toString().getBytes(StandardCharsets.UTF_8))
        .userProperties(properties).send());
  }

  /** Whether the broker grants this subscription; a refusal is an answer here, not an error. */
  boolean maySubscribe(String filter) {
    try {
      final var ack = mqtt.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send()
          .get(30, TimeUnit.SECONDS);
      return ack.getReasonCodes().stream().noneMatch(code -> code.isError());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Mqtt5SubAckException) {
        return false;
      }
      throw new IllegalStateException(e.getMessage(), e);
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Whether the broker takes this QoS 1 PUBLISH (a PUBACK without error), with this client's user properties. */
  boolean mayPublish(String topic, JsonNode message) {
    return mayPublish(topic, message, own());
  }

  /** {@link #mayPublish} claiming to be another MCP client in the MCP-MQTT-CLIENT-ID user property. */
  boolean mayPublishAs(String claimedClientId, String topic, JsonNode message) {
    return mayPublish(topic, message, Mqtt5UserProperties.builder().add("MCP-COMPONENT-TYPE", "mcp-client")
        .add("MCP-MQTT-CLIENT-ID", claimedClientId).build());
  }

  private boolean mayPublish(String topic, JsonNode message, Mqtt5UserProperties properties) {
    try {
      return mqtt.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
          .payload(message.toString().getBytes(StandardCharsets.UTF_8)).userProperties(properties).send()
          .get(30, TimeUnit.SECONDS).getError().isEmpty();
    } catch (ExecutionException e) {
      return false; // the broker closed the connection
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  boolean connected() {
    return mqtt.getState().isConnected();
  }

  /** Responses with this id on this topic so far. */
  List<Received> responses(String topic, Object id) {
    final JsonNode wanted = JSON.valueToTree(id);
    return received.stream().filter(r -> r.topic().equals(topic) && r.json() != null && wanted.equals(r.json().get("id"))
        && (r.json().has("result") || r.json().has("error"))).toList();
  }

  List<Received> on(String topic) {
    return received.stream().filter(r -> r.topic().equals(topic)).toList();
  }

  /** Drops the connection so that the broker publishes the will. */
  void dieWithWill() {
    join(mqtt.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send());
  }

  @Override
  public void close() {
    if (mqtt.getState().isConnected()) {
      join(mqtt.disconnect());
    }
  }

  private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
