package org.meshflow.jobs.testing;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.meshflow.records.ClientSession;
import org.meshflow.records.DisconnectReason;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.SessionEvent;

/** Session events and uplinks as the broker extension writes them. */
public final class RouterEvents {
  private RouterEvents() {}

  public static ClientSession connected(String client, String connection, Instant at) {
    return ClientSession.newBuilder().setClientId(client).setEvent(SessionEvent.CONNECTED).setAt(at)
        .setConnectionId(connection).setKeepAliveSeconds(60).setProtocolVersion("3.1.1").build();
  }

  public static ClientSession disconnected(String client, String connection, DisconnectReason reason, Instant at) {
    return ClientSession.newBuilder().setClientId(client).setEvent(SessionEvent.DISCONNECTED).setAt(at)
        .setConnectionId(connection).setReason(reason).build();
  }

  public static MqttUplink uplink(String client, Instant at) {
    return MqttUplink.newBuilder().setTopic("msh/US/2/e/LongFast/" + client).setPayload(ByteBuffer.wrap(new byte[] {1}))
        .setQos(0).setRetain(false).setClientId(client).setUserProperties(List.of()).setReceivedAt(at).build();
  }
}
