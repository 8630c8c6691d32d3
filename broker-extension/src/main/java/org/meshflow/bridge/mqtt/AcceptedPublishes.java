package org.meshflow.bridge.mqtt;

import java.nio.ByteBuffer;

/** Told of every client PUBLISH the bridge let through (replay triggers listen here). */
@FunctionalInterface
public interface AcceptedPublishes {
  void accepted(String clientId, String topic, ByteBuffer payload);
}
