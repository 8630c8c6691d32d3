package org.meshflow.mcp.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * An MCP server transport over MQTT 5 for the MCP Java SDK: one MQTT connection (client id = server
 * id) serves every client. It announces the server with a retained presence message (cleared by its
 * will or before a clean stop), takes {@code initialize} on the control topic, and gives each client
 * its own SDK session on its RPC topic until the client disconnects.
 *
 * <p>Build the SDK server with this provider first ({@code McpServer.sync(provider)...build()}), then
 * {@link #start()}.
 */
public final class McpMqttServerTransportProvider implements McpServerTransportProvider {
  private static final Logger LOG = LoggerFactory.getLogger(McpMqttServerTransportProvider.class);
  private static final byte[] EMPTY = new byte[0];

  private final McpMqttServerSettings settings;
  private final McpJsonMapper json;
  private final Mqtt5AsyncClient mqtt;
  private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> firstOnline = new CompletableFuture<>();
  private volatile McpTopics topics;
  private volatile McpServerSession.Factory sessionFactory;
  private volatile boolean stopping;
  private volatile boolean toldUnreachable;
  private volatile Throwable lastFailure;

  /** One client's session: its SDK session and the transport bound to its RPC topic. */
  private record ClientSession(String clientId, String rpcTopic, McpServerSession session, ClientTransport transport) {}

  public McpMqttServerTransportProvider(McpMqttServerSettings settings, McpJsonMapper json) {
    this.settings = settings;
    this.json = json;
    this.topics = new McpTopics(settings.serverId(), settings.serverName());
    Mqtt5ClientBuilder builder = Mqtt5Client.builder().identifier(settings.serverId()).serverHost(settings.host())
        .serverPort(settings.port());
    if (settings.tls() != null) {
      builder = settings.tls().trust() == null ? builder.sslWithDefaultConfig()
          : builder.sslConfig().trustManagerFactory(settings.tls().trust()).applySslConfig();
    }
    this.mqtt = builder.automaticReconnectWithDefaultConfig()
        .addConnectedListener(this::onConnected)
        .addDisconnectedListener(context -> {
          lastFailure = context.getCause();
          if (stopping) {
            context.getReconnector().reconnect(false);
          } else if (firstOnline.isDone()) {
            LOG.warn("MCP server {} lost its MQTT connection: {}", settings.serverId(), context.getCause().getMessage());
          } else if (!toldUnreachable) {
            toldUnreachable = true;
            LOG.warn("MCP server {} cannot reach the broker at {}:{} yet ({}); trying again", settings.serverId(),
                settings.host(), settings.port(), context.getCause().getMessage());
          }
        })
        .buildAsync();
    mqtt.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::onMessage);
  }

  @Override
  public void setSessionFactory(McpServerSession.Factory sessionFactory) {
    this.sessionFactory = sessionFactory;
  }

  /** The topics this instance uses now (the broker may have renamed the server in CONNACK). */
  public McpTopics topics() {
    return topics;
  }

  /** Connects, subscribes to the control topic and publishes the presence; returns once clients can find it. */
  public void start() {
    final CompletableFuture<?> connected = connect();
    try {
      connected.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      firstOnline.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      stopping = true;
      mqtt.disconnect();
      final Throwable cause = e instanceof ExecutionException ? e.getCause()
          : lastFailure != null ? lastFailure : new TimeoutException("no answer within " + settings.timeout());
      throw new IllegalStateException("MCP server " + settings.serverId() + " could not go online at "
          + settings.host() + ":" + settings.port() + ": " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the MCP server", e);
    }
  }

  /**
   * Connects in the background and keeps trying until the broker answers (a broker that starts after
   * this process); clients find the server once it is online.
   */
  public void startInBackground() {
    connect();
  }

  private CompletableFuture<?> connect() {
    if (sessionFactory == null) {
      throw new IllegalStateException("build the MCP server with this transport before starting it");
    }
    final var connect = Mqtt5Connect.builder().cleanStart(true).sessionExpiryInterval(0).keepAlive(30)
        .willPublish(Mqtt5Publish.builder().topic(topics.presence()).payload(EMPTY).retain(true)
            .qos(MqttQos.AT_LEAST_ONCE).userProperties(ownProperties()).asWill().build())
        .userProperties(Mqtt5UserProperties.builder().add(McpMqtt.COMPONENT_TYPE, McpMqtt.SERVER)
            .add(McpMqtt.META, new String(write(settings.meta()), StandardCharsets.UTF_8)).build());
    if (settings.username() != null) {
      connect.simpleAuth().username(settings.username())
          .password(settings.password() == null ? EMPTY : settings.password().getBytes(StandardCharsets.UTF_8))
          .applySimpleAuth();
    }
    firstOnline.thenRun(() -> LOG.info("MCP server {} online as {} on {}:{}", topics.serverName(),
        settings.serverId(), settings.host(), settings.port()));
    return mqtt.connect(connect.build());
  }

  /** On every (re)connect: sessions of an earlier connection are gone with it; announce again. */
  private void onConnected(MqttClientConnectedContext context) {
    if (context instanceof Mqtt5ClientConnectedContext connected) {
      userProperty(connected.getConnAck().getUserProperties(), McpMqtt.SERVER_NAME).ifPresent(this::adoptName);
    }
    sessions.values().forEach(s -> s.session().close());
    sessions.clear();
    final McpTopics now = topics;
    mqtt.subscribeWith().topicFilter(now.control()).qos(MqttQos.AT_LEAST_ONCE).send()
        .thenCompose(subAck -> {
          requireGranted(subAck, now.control());
          return publish(now.presence(), write(presence(now)), true);
        })
        .whenComplete((ignored, error) -> {
          if (error == null) {
            firstOnline.complete(null);
          } else if (!firstOnline.completeExceptionally(error)) {
            LOG.warn("MCP server {} could not announce itself: {}", now.serverId(), error.getMessage());
          }
        });
  }

  private void adoptName(String suggested) {
    if (McpTopics.serverNameProblem(suggested) != null || suggested.equals(topics.serverName())) {
      return;
    }
    LOG.info("the broker names this MCP server {} (configured: {})", suggested, topics.serverName());
    topics = new McpTopics(topics.serverId(), suggested);
  }

  private Map<String, Object> presence(McpTopics now) {
    final var params = new LinkedHashMap<String, Object>();
    params.put("server_name", now.serverName());
    params.put("description", settings.description());
    params.put("meta", settings.meta());
    return Map.of("jsonrpc", McpSchema.JSONRPC_VERSION, "method", McpMqtt.SERVER_ONLINE, "params", params);
  }

  private void onMessage(Mqtt5Publish publish) {
    final String topic = publish.getTopic().toString();
    final McpTopics now = topics;
    try {
      if (topic.equals(now.control())) {
        onControl(now, publish);
        return;
      }
      final Optional<String> rpcClient = now.clientOfRpc(topic);
      if (rpcClient.isPresent()) {
        onRpc(rpcClient.get(), publish);
        return;
      }
      McpTopics.clientOf(topic, McpTopics.CLIENT_PRESENCE_ROOT).ifPresent(c -> onClientPresence(c, publish));
      McpTopics.clientOf(topic, McpTopics.CLIENT_CAPABILITY_ROOT).ifPresent(c -> onClientCapability(c, publish));
    } catch (RuntimeException e) {
      LOG.warn("MCP message on {} dropped: {}", topic, e.getMessage());
    }
  }

  private void onControl(McpTopics now, Mqtt5Publish publish) {
    final Optional<String> clientId = userProperty(publish.getUserProperties(), McpMqtt.MQTT_CLIENT_ID);
    if (clientId.isEmpty()) {
      LOG.info("control message without {} ignored", McpMqtt.MQTT_CLIENT_ID);
      return;
    }
    final String cid = clientId.get();
    final String idProblem = McpTopics.idProblem("client id", cid);
    if (idProblem != null) {
      LOG.info("control message ignored: {}", idProblem);
      return;
    }
    final McpSchema.JSONRPCMessage message = read(publish);
    if (!(message instanceof McpSchema.JSONRPCRequest request && McpSchema.METHOD_INITIALIZE.equals(request.method()))) {
      LOG.info("control message from {} ignored: only initialize requests are taken there", cid);
      return;
    }
    final String rpc = now.rpc(cid);
    mqtt.subscribeWith()
        .addSubscription().topicFilter(rpc).qos(MqttQos.AT_LEAST_ONCE).noLocal(true).applySubscription()
        .addSubscription().topicFilter(now.clientPresence(cid)).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
        .addSubscription().topicFilter(now.clientCapability(cid)).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
        .send()
        .whenComplete((subAck, error) -> {
          final String problem = error != null ? error.getMessage()
              : subAck.getReasonCodes().stream().anyMatch(code -> code.isError())
                  ? "the broker refused the subscriptions " + subAck.getReasonCodes() : null;
          if (problem != null) {
            LOG.warn("MCP client {} not served: {}", cid, problem);
            send(rpc, new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, request.id(), null,
                new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INTERNAL_ERROR,
                    "the server cannot serve this client: " + problem, null)));
            return;
          }
          final var transport = new ClientTransport(this, cid, rpc);
          final var session = new ClientSession(cid, rpc, sessionFactory.create(transport), transport);
          final ClientSession replaced = sessions.put(cid, session);
          if (replaced != null) {
            replaced.session().close();
          }
          LOG.info("MCP client {} initializing", cid);
          handle(session, request);
        });
  }

  private void onRpc(String clientId, Mqtt5Publish publish) {
    final ClientSession session = sessions.get(clientId);
    if (session == null) {
      LOG.debug("message on the RPC topic of {} without a session dropped", clientId);
      return;
    }
    final McpSchema.JSONRPCMessage message = read(publish);
    if (isDisconnected(message)) {
      end(session, false, "the client left");
      return;
    }
    handle(session, message);
  }

  private void onClientPresence(String clientId, Mqtt5Publish publish) {
    final ClientSession session = sessions.get(clientId);
    if (session != null && publish.getPayloadAsBytes().length > 0 && isDisconnected(read(publish))) {
      end(session, false, "the client disconnected");
    }
  }

  private void onClientCapability(String clientId, Mqtt5Publish publish) {
    final ClientSession session = sessions.get(clientId);
    if (session != null && read(publish) instanceof McpSchema.JSONRPCNotification notification) {
      handle(session, notification);
    }
  }

  private static boolean isDisconnected(McpSchema.JSONRPCMessage message) {
    return message instanceof McpSchema.JSONRPCNotification n && McpMqtt.DISCONNECTED.equals(n.method());
  }

  private void handle(ClientSession session, McpSchema.JSONRPCMessage message) {
    session.session().handle(message).subscribe(null,
        error -> LOG.warn("MCP client {}: {} failed: {}", session.clientId(), describe(message), error.getMessage()));
  }

  private static String describe(McpSchema.JSONRPCMessage message) {
    if (message instanceof McpSchema.JSONRPCRequest r) {
      return r.method();
    }
    return message instanceof McpSchema.JSONRPCNotification n ? n.method() : "response";
  }

  /**
   * Ends a client's session: unsubscribes from its topics and forgets it. {@code tellClient}: the
   * server ends it, so the client gets {@code notifications/disconnected} on its RPC topic.
   */
  private void end(ClientSession session, boolean tellClient, String why) {
    if (!sessions.remove(session.clientId(), session)) {
      return;
    }
    LOG.info("MCP session of client {} ended: {}", session.clientId(), why);
    if (tellClient && !stopping) {
      send(session.rpcTopic(), Map.of("jsonrpc", McpSchema.JSONRPC_VERSION, "method", McpMqtt.DISCONNECTED));
    }
    final McpTopics now = topics;
    mqtt.unsubscribeWith().topicFilter(session.rpcTopic())
        .addTopicFilter(now.clientPresence(session.clientId()))
        .addTopicFilter(now.clientCapability(session.clientId())).send()
        .whenComplete((ack, error) -> {
          if (error != null && !stopping) {
            LOG.debug("unsubscribing from the topics of {} failed: {}", session.clientId(), error.getMessage());
          }
        });
    session.session().close();
  }

  /** Called by a client's transport when the SDK closes its session. */
  void closed(ClientTransport transport) {
    final ClientSession session = sessions.get(transport.clientId());
    if (session != null && session.transport() == transport) {
      end(session, true, "closed by the server");
    }
  }

  /** List-changed notifications go once to the capability topic, not to every client. */
  @Override
  public Mono<Void> notifyClients(String method, Object params) {
    return Mono.fromFuture(() -> send(topics.capability(), new McpSchema.JSONRPCNotification(
        McpSchema.JSONRPC_VERSION, method, params))).then();
  }

  @Override
  public Mono<Void> notifyClient(String sessionId, String method, Object params) {
    final var notification = new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, method, params);
    if (McpSchema.METHOD_NOTIFICATION_RESOURCES_UPDATED.equals(method)) {
      return Mono.fromFuture(() -> send(topics.capability(), notification)).then();
    }
    return sessions.values().stream().filter(s -> s.session().getId().equals(sessionId)).findFirst()
        .map(s -> s.transport().sendMessage(notification))
        .orElseGet(() -> Mono.error(new IllegalArgumentException("no MCP session " + sessionId)));
  }

  /** Drops the sessions, clears the presence (before DISCONNECT, as the spec requires) and disconnects. */
  @Override
  public Mono<Void> closeGracefully() {
    return Mono.defer(() -> {
      if (stopping) {
        return Mono.empty();
      }
      stopping = true;
      sessions.values().forEach(s -> end(s, false, "the server stops"));
      final long timeout = settings.timeout().toMillis();
      final CompletableFuture<?> cleared = mqtt.getState().isConnected() ? publish(topics.presence(), EMPTY, true)
          : CompletableFuture.completedFuture(null);
      // a connection lost right now, or a client still trying to reach a broker that is gone, may never
      // confirm the PUBLISH or the DISCONNECT
      final CompletableFuture<Void> done = cleared.completeOnTimeout(null, timeout, TimeUnit.MILLISECONDS)
          .handle((result, error) -> {
            if (error != null) {
              LOG.warn("could not clear the presence of {}: {}", settings.serverId(), error.getMessage());
            }
            return null;
          })
          .thenCompose(ignored -> mqtt.disconnect())
          .exceptionally(error -> null)
          .completeOnTimeout(null, timeout, TimeUnit.MILLISECONDS);
      return Mono.fromFuture(done).doOnSuccess(v -> LOG.info("MCP server {} offline", settings.serverId()));
    });
  }

  @Override
  public void close() {
    closeGracefully().block(settings.timeout());
  }

  CompletableFuture<Void> send(String topic, Object message) {
    return publish(topic, write(message), false).thenApply(result -> null);
  }

  private CompletableFuture<?> publish(String topic, byte[] payload, boolean retain) {
    return mqtt.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload)
        .userProperties(ownProperties()).send()
        .thenApply(result -> {
          result.getError().ifPresent(error -> {
            throw new IllegalStateException("PUBLISH to " + topic + " failed: " + error.getMessage(), error);
          });
          return result;
        });
  }

  private Mqtt5UserProperties ownProperties() {
    return Mqtt5UserProperties.builder().add(McpMqtt.COMPONENT_TYPE, McpMqtt.SERVER)
        .add(McpMqtt.MQTT_CLIENT_ID, settings.serverId()).build();
  }

  McpJsonMapper json() {
    return json;
  }

  private byte[] write(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private McpSchema.JSONRPCMessage read(Mqtt5Publish publish) {
    final String text = new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    try {
      return McpSchema.deserializeJsonRpcMessage(json, text);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a JSON-RPC message: " + e.getMessage(), e);
    }
  }

  private static void requireGranted(Mqtt5SubAck subAck, String topic) {
    if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
      throw new IllegalStateException("the broker refused the subscription to " + topic + ": " + subAck.getReasonCodes());
    }
  }

  private static Optional<String> userProperty(Mqtt5UserProperties properties, String name) {
    return properties.asList().stream().filter(p -> p.getName().toString().equals(name))
        .map(p -> p.getValue().toString()).findFirst();
  }
}
