package org.meshflow.bridge.mqtt;

import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationFailedInput;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ClientInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionLostInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ServerInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.packets.general.DisconnectedReasonCode;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import java.time.Instant;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.meshflow.bridge.security.BridgeAuthenticator;
import org.meshflow.records.ClientSession;
import org.meshflow.records.DisconnectReason;
import org.meshflow.records.SessionEvent;

/**
 * The life of one connection as {@link ClientSession} records: CONNECTED once authentication
 * succeeded, then exactly one DISCONNECTED with the reason. HiveMQ creates one listener per connection.
 */
final class SessionEventListener implements ClientLifecycleEventListener {
  private final Consumer<ClientSession> sink;
  private final Consumer<String> onGone;
  private final BooleanSupplier brokerStopping;
  private final String connectionId = UUID.randomUUID().toString();
  private volatile String protocolVersion;
  private volatile Integer keepAlive;
  private volatile Boolean cleanStart;
  private volatile String willTopic;
  private volatile String username;
  private volatile boolean ended;

  SessionEventListener(Consumer<ClientSession> sink, Consumer<String> onGone, BooleanSupplier brokerStopping) {
    this.sink = sink;
    this.onGone = onGone;
    this.brokerStopping = brokerStopping;
  }

  @Override
  public void onMqttConnectionStart(ConnectionStartInput input) {
    final var connect = input.getConnectPacket();
    protocolVersion = version(connect.getMqttVersion());
    keepAlive = connect.getKeepAlive();
    cleanStart = connect.getCleanStart();
    willTopic = connect.getWillPublish().map(PublishPacket::getTopic).orElse(null);
  }

  @Override
  public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
    username = input.getConnectionInformation().getConnectionAttributeStore()
        .getAsString(BridgeAuthenticator.USER_ATTRIBUTE).orElse(null);
    sink.accept(base(input.getClientInformation().getClientId(), SessionEvent.CONNECTED)
        .setKeepAliveSeconds(keepAlive).setCleanStart(cleanStart).build());
  }

  @Override
  public void onAuthenticationFailedDisconnect(AuthenticationFailedInput input) {
    ended(input, DisconnectReason.AUTH_FAILURE);
  }

  @Override
  public void onConnectionLost(ConnectionLostInput input) {
    ended(input, brokerStopping.getAsBoolean() ? DisconnectReason.SERVER_STOP : DisconnectReason.CONNECTION_LOST);
  }

  @Override
  public void onClientInitiatedDisconnect(ClientInitiatedDisconnectInput input) {
    ended(input, DisconnectReason.GRACEFUL);
  }

  @Override
  public void onServerInitiatedDisconnect(ServerInitiatedDisconnectInput input) {
    ended(input, serverReason(input.getReasonCode().orElse(DisconnectedReasonCode.UNSPECIFIED_ERROR)));
  }

  @Override
  public void onDisconnect(DisconnectEventInput input) {
    ended(input, DisconnectReason.UNKNOWN);
  }

  /** HiveMQ reports a keepalive expiry, a takeover and its own shutdown as server-initiated disconnects. */
  static DisconnectReason serverReason(DisconnectedReasonCode code) {
    return switch (code) {
      case KEEP_ALIVE_TIMEOUT -> DisconnectReason.KEEPALIVE_TIMEOUT;
      case SESSION_TAKEN_OVER -> DisconnectReason.TAKEN_OVER;
      case SERVER_SHUTTING_DOWN -> DisconnectReason.SERVER_STOP;
      case NOT_AUTHORIZED, BAD_USER_NAME_OR_PASSWORD, BAD_AUTHENTICATION_METHOD -> DisconnectReason.AUTH_FAILURE;
      case PROTOCOL_ERROR, MALFORMED_PACKET, TOPIC_NAME_INVALID, TOPIC_ALIAS_INVALID, RECEIVE_MAXIMUM_EXCEEDED,
           PACKET_TOO_LARGE -> DisconnectReason.PROTOCOL_ERROR;
      default -> DisconnectReason.UNKNOWN;
    };
  }

  private void ended(DisconnectEventInput input, DisconnectReason reason) {
    if (ended) {
      return;
    }
    ended = true;
    final var clientId = input.getClientInformation().getClientId();
    final var reasonString = input.getReasonString().orElse(input.getReasonCode().map(Enum::name).orElse(null));
    sink.accept(base(clientId, SessionEvent.DISCONNECTED).setReason(reason).setReasonString(reasonString).build());
    onGone.accept(clientId);
  }

  private ClientSession.Builder base(String clientId, SessionEvent event) {
    return ClientSession.newBuilder()
        .setClientId(clientId)
        .setEvent(event)
        .setAt(Instant.now())
        .setConnectionId(connectionId)
        .setUsername(username)
        .setProtocolVersion(protocolVersion)
        .setWillTopic(willTopic)
        .setReason(null)
        .setReasonString(null)
        .setKeepAliveSeconds(null)
        .setCleanStart(null)
        .setBrokerId(null);
  }

  private static String version(MqttVersion version) {
    return switch (version) {
      case V_3_1 -> "3.1";
      case V_3_1_1 -> "3.1.1";
      case V_5 -> "5";
    };
  }
}
