package org.meshflow.bridge;

import com.hivemq.extension.sdk.api.services.Services;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.meshflow.bridge.configuration.BridgeConfig;
import org.meshflow.bridge.kafka.Availability;
import org.meshflow.bridge.kafka.DownlinkBridge;
import org.meshflow.bridge.kafka.RecordSender;
import org.meshflow.bridge.limits.PublishRateLimiter;
import org.meshflow.bridge.metrics.BridgeMetrics;
import org.meshflow.bridge.mqtt.ClientCutOff;
import org.meshflow.bridge.mqtt.SessionEvents;
import org.meshflow.bridge.mqtt.UplinkInterceptor;
import org.meshflow.bridge.security.BridgeAuthenticator;
import org.meshflow.bridge.security.CredentialsFile;
import org.meshflow.bridge.security.CredentialsReloader;
import org.meshflow.bridge.security.Principals;
import org.meshflow.bridge.security.RejectionLog;
import org.meshflow.records.ClientSession;
import org.meshflow.records.MqttUplink;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.serde.AvroSerde;

/** The running bridge inside a broker: registers its parts with HiveMQ and owns its Kafka clients. */
final class Bridge implements AutoCloseable {
  private final RecordSender sender;
  private UplinkInterceptor uplinks;
  private final List<DownlinkBridge> downlinks = new CopyOnWriteArrayList<>();
  private Availability availability;
  private SessionEvents sessionEvents;
  private CredentialsReloader credentialsReloader;

  private Bridge(RecordSender sender) {
    this.sender = sender;
  }

  static Bridge start(BridgeConfig config, SchemaRegistry registry, BridgeMetrics metrics) {
    final var access = config.access();
    final var users = access.credentialsFile() == null ? Map.<String, org.meshflow.bridge.security.User>of()
        : CredentialsFile.read(access.credentialsFile(), access.roles().keySet());
    final var principals = new Principals(access, users);
    final var sender = RecordSender.start(config.kafka());
    final var bridge = new Bridge(sender);
    if (access.credentialsFile() != null && !access.credentialsReload().isZero()) {
      bridge.credentialsReloader = CredentialsReloader.start(access.credentialsFile(), access.roles().keySet(),
          principals, access.credentialsReload());
    }
    final var rateLimiter = new PublishRateLimiter(config.limits(), System::nanoTime);
    final var rejectionLog = new RejectionLog();
    final var interceptor = bridge.uplinks = new UplinkInterceptor(config, principals, rateLimiter, rejectionLog, sender,
        AvroSerde.specific(registry, MqttUplink.class), metrics, new ClientCutOff(Services.clientService()),
        (clientId, topic, payload) -> bridge.downlinks.forEach(d -> d.replayIfTriggered(clientId, topic, payload)));
    final var authenticator = new BridgeAuthenticator(principals);
    Services.securityRegistry().setAuthenticatorProvider(input -> authenticator);
    Services.initializerRegistry().setClientInitializer(
        (input, client) -> interceptor.initialize(client));
    bridge.sessionEvents = new SessionEvents(config.sessions(), sender,
        AvroSerde.specific(registry, ClientSession.class), metrics, clientId -> {
          rateLimiter.forget(clientId);
          rejectionLog.forget(clientId);
        });
    bridge.sessionEvents.brokerStarted();
    Services.eventRegistry().setClientLifecycleEventListener(bridge.sessionEvents);
    final var publisher = DownlinkBridge.hivemqPublisher(Services.publishService());
    for (final var mapping : config.downlinks()) {
      final var downlink = new DownlinkBridge(mapping, config.kafka(), registry, publisher, metrics);
      bridge.downlinks.add(downlink);
      downlink.start();
    }
    if (config.status() != null) {
      bridge.availability = Availability.start(config.status(), config.kafka(), publisher);
    }
    return bridge;
  }

  /** The broker is about to stop: its clients' sessions end for that reason, and the bridge goes offline now. */
  void brokerStopping() {
    sessionEvents.brokerStopping();
    if (availability != null) {
      availability.stopping();
    }
  }

  @Override
  public void close() {
    if (credentialsReloader != null) {
      credentialsReloader.close();
    }
    if (availability != null) {
      availability.close();
    }
    downlinks.forEach(DownlinkBridge::close);
    if (uplinks != null) {
      uplinks.close();
    }
    sender.close();
  }
}
