package org.meshflow.jobs.mqtt;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.RouterState;
import org.meshflow.records.RouterStatus;

/**
 * Keeps the retained MQTT view of every router: {@code state}, {@code attributes} and its Home
 * Assistant discovery config (written when a router first appears, removed with an empty retained
 * payload when its status is deleted). Outages count towards "outages today" (UTC).
 */
final class RouterProjectionProcessor implements Processor<String, Object, String, byte[]> {
  private static final byte[] EMPTY = new byte[0];
  private final MqttOutputConfig config;
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<String, RouterStatus> routers;
  private KeyValueStore<String, String> outagesByDay;

  RouterProjectionProcessor(MqttOutputConfig config) {
    this.config = config;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.routers = context.getStateStore(MqttOutputTopology.ROUTERS_STORE);
    this.outagesByDay = context.getStateStore(MqttOutputTopology.ROUTERS_STORE + "-outages");
  }

  @Override
  public void process(Record<String, Object> record) {
    final String routerId = record.key();
    if (routerId == null) {
      return;
    }
    if (record.value() instanceof RouterOutage outage) {
      countOutage(routerId, outage);
      final RouterStatus known = routers.get(routerId);
      if (known != null) {
        publishAttributes(record, routerId, known);
      }
    } else if (record.value() instanceof RouterStatus status) {
      final boolean isNew = routers.get(routerId) == null;
      routers.put(routerId, status);
      if (isNew) {
        publish(record, config.discoveryTopic(routerId),
            MqttJson.bytes(HomeAssistantDiscovery.config(config, routerId)));
      }
      if (status.getState() != RouterState.UNKNOWN) {
        publish(record, config.stateTopic(routerId), MqttJson.text(status.getState().name().toLowerCase(Locale.ROOT)));
      }
      publishAttributes(record, routerId, status);
    } else if (record.value() == null && routers.get(routerId) != null) {
      // the router's status was deleted: remove it from Home Assistant and clear its retained topics
      routers.delete(routerId);
      outagesByDay.delete(routerId);
      publish(record, config.discoveryTopic(routerId), EMPTY);
      publish(record, config.stateTopic(routerId), EMPTY);
      publish(record, config.attributesTopic(routerId), EMPTY);
    }
  }

  private void countOutage(String routerId, RouterOutage outage) {
    final String day = LocalDate.ofInstant(outage.getEndedAt(), ZoneOffset.UTC).toString();
    final String[] stored = split(outagesByDay.get(routerId));
    final long count = day.equals(stored[0]) ? Long.parseLong(stored[1]) + 1 : 1;
    if (stored[0] == null || day.compareTo(stored[0]) >= 0) {
      outagesByDay.put(routerId, day + "|" + count);
    }
  }

  private long outagesOn(String routerId, Instant at) {
    final String[] stored = split(outagesByDay.get(routerId));
    return LocalDate.ofInstant(at, ZoneOffset.UTC).toString().equals(stored[0]) ? Long.parseLong(stored[1]) : 0;
  }

  private static String[] split(String dayAndCount) {
    return dayAndCount == null ? new String[] {null, "0"} : Arrays.copyOf(dayAndCount.split("\\|", 2), 2);
  }

  private void publishAttributes(Record<String, Object> record, String routerId, RouterStatus status) {
    final ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("router", routerId);
    json.put("state", status.getState().name().toLowerCase(Locale.ROOT));
    json.put("since", MqttJson.iso(status.getSince()));
    json.put("lastSeen", MqttJson.iso(status.getLastUplinkAt()));
    json.put("connected", status.getConnected());
    json.put("outagesToday", outagesOn(routerId, Instant.ofEpochMilli(Math.max(record.timestamp(),
        status.getUpdatedAt().toEpochMilli()))));
    if (status.getLastOutageSeconds() != null) {
      json.put("lastOutageSeconds", status.getLastOutageSeconds());
    } else {
      json.putNull("lastOutageSeconds");
    }
    json.put("outageCount", status.getOutageCount());
    json.put("lastDisconnectReason", status.getLastDisconnectReason());
    publish(record, config.attributesTopic(routerId), MqttJson.bytes(json));
  }

  private void publish(Record<String, Object> record, String topic, byte[] payload) {
    context.forward(record.withKey(topic).withValue(payload));
  }
}
