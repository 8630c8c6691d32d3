package org.meshflow.launcher.embedded;

import com.hivemq.configuration.service.InternalConfigurations;

/**
 * Lets clients of the embedded HiveMQ CE publish to topics starting with {@code $} (MCP over MQTT
 * needs {@code $mcp-...}). HiveMQ CE disconnects such publishers unless an internal flag is set
 * before the broker starts; it has no configuration option for it. The flag is not public API, so it
 * lives only here, and {@code DollarTopicsTest} fails if a HiveMQ upgrade stops honouring it.
 * Which clients may use which {@code $} topics is still decided by the bridge's roles.
 */
public final class DollarTopics {
  private DollarTopics() {}

  /** Must run before {@code EmbeddedHiveMQ.start()}; the broker reads the flag once while starting. */
  public static void allow() {
    InternalConfigurations.MQTT_ALLOW_DOLLAR_TOPICS.set(true);
  }
}
