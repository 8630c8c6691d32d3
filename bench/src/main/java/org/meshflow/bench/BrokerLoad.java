package org.meshflow.bench;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.meshflow.bridge.BridgeExtension;
import org.meshflow.bridge.configuration.ConfigParser;
import org.meshflow.launcher.embedded.EmbeddedKafkaServer;
import org.meshflow.launcher.embedded.EmbeddedMqttBroker;
import org.meshflow.launcher.embedded.FreePorts;
import org.meshflow.launcher.embedded.MqttListeners;
import org.meshflow.launcher.embedded.SelfSignedKeyStore;
import org.meshflow.launcher.embedded.TlsListener;
import org.meshflow.registry.InMemorySchemaRegistry;

/**
 * QoS 1 publishes per second through HiveMQ CE with the bridge forwarding every PUBLISH to Kafka
 * (PUBACK after the Kafka acknowledgement) against HiveMQ CE alone, with the same client load in the
 * same run: rounds alternate between the brokers after warm-up rounds, and the medians are reported
 * with PUBACK latencies and the CPU time the process spent per publish, in all and by part.
 *
 * <p>Arguments (all optional): clients, in-flight publishes per client, payload bytes, seconds per
 * round, rounds. Example: {@code BrokerLoad 200 5 200 10 3}. System properties: {@code mqtt=3} for
 * MQTT 3.1.1 clients (default 5); {@code warmups}: rounds per broker before the measured ones
 * (default 5, what the JIT needs for Kafka and the bridge); {@code noop=true} adds a broker whose
 * extension has only empty PUBLISH and PUBACK interceptors (what HiveMQ's extension machinery costs
 * by itself); {@code bridge.only=true} loads only the bridge (for profiling); {@code linger.ms} for
 * the bridge's producer; {@code tls=true} gives the bridge's and the lone broker a TLS listener too
 * (a self-signed key store) and loads each over TLS as well, for what TLS costs a publish.
 */
public final class BrokerLoad {
  private BrokerLoad() {}

  public static void main(String[] args) throws Exception {
    final var load = new PublishLoad.Settings(arg(args, 0, 200), arg(args, 1, 5), arg(args, 2, 200),
        arg(args, 3, 10), Integer.getInteger("mqtt", 5));
    final int rounds = arg(args, 4, 3);
    final int warmups = Integer.getInteger("warmups", 5);
    final Path dir = Files.createTempDirectory("meshflow-broker-load");
    try (var kafka = EmbeddedKafkaServer.start(dir.resolve("kafka"), FreePorts.pick(), FreePorts.pick());
        var admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("mesh.uplink.v1", 2, (short) 1),
          new NewTopic("mesh.sessions.v1", 1, (short) 1))).all().get();
      final var meters = new SimpleMeterRegistry();
      final var bridge = new BridgeExtension(ConfigParser.parse(config(kafka.bootstrapServers(),
          System.getProperty("linger.ms", "")), dir, "bench"), new InMemorySchemaRegistry(), meters);
      final var brokers = new ArrayList<EmbeddedMqttBroker>();
      final var targets = new LinkedHashMap<String, Target>();
      final boolean tls = Boolean.getBoolean("tls");
      final SelfSignedKeyStore keys = tls ? SelfSignedKeyStore.create(dir, "bench-tls") : null;
      try {
        start(brokers, targets, "with bridge", dir.resolve("with"), keys, extension("meshflow-bridge", bridge));
        if (!Boolean.getBoolean("bridge.only")) {
          start(brokers, targets, "alone", dir.resolve("alone"), keys, null);
        }
        if (Boolean.getBoolean("noop")) {
          start(brokers, targets, "empty interceptors", dir.resolve("noop"), null,
              extension("noop", new EmptyInterceptors()));
        }
        System.out.printf("load: %s; %d rounds (+%d warm-up) per broker, alternating%n", load, rounds, warmups);
        final var results = new LinkedHashMap<String, List<PublishLoad.Round>>();
        for (final var target : targets.keySet()) {
          results.put(target, new ArrayList<>());
        }
        for (int i = 0; i < warmups; i++) {
          for (final var target : targets.values()) {
            PublishLoad.run(target.port(), target.trust(), load);
          }
        }
        for (int i = 0; i < rounds; i++) {
          for (final var target : targets.entrySet()) {
            final var round = PublishLoad.run(target.getValue().port(), target.getValue().trust(), load);
            results.get(target.getKey()).add(round);
            System.out.printf("round %d %s: %s%n  cpu µs/publish by part: %s%n", i + 1, target.getKey(), round,
                round.cpuByPart());
          }
          final var kafkaAck = meters.find("meshflow.bridge.kafka.ack.latency").timer();
          if (kafkaAck != null) {
            System.out.printf("  bridge's own PUBLISH-to-Kafka-ack time so far: mean %.2f ms, max %.2f ms%n",
                kafkaAck.mean(TimeUnit.MILLISECONDS), kafkaAck.max(TimeUnit.MILLISECONDS));
          }
        }
        final var medians = new LinkedHashMap<String, PublishLoad.Round>();
        results.forEach((name, list) -> medians.put(name, PublishLoad.Round.median(list)));
        medians.forEach((name, median) -> System.out.printf("median %s: %s%n", name, median));
        final var with = medians.get("with bridge");
        medians.forEach((name, median) -> {
          if (!name.startsWith("with bridge")) {
            System.out.printf("ratio with bridge / %s: %.2f%n", name, with.perSecond() / median.perSecond());
          }
          if (name.endsWith(OVER_TLS)) {
            final String plain = name.substring(0, name.length() - OVER_TLS.length());
            System.out.printf("ratio %s / %s: %.2f%n", name, plain,
                median.perSecond() / medians.get(plain).perSecond());
          }
        });
      } finally {
        for (final var broker : brokers) {
          broker.close();
        }
      }
    }
  }


  private static final String OVER_TLS = " over TLS";

  /** Where a load goes: a broker's port, over TLS when {@code trust} is set. */
  private record Target(int port, TrustManagerFactory trust) {}

  /** A broker, and with {@code keys} its TLS listener too, as one or two targets. */
  private static void start(List<EmbeddedMqttBroker> brokers, Map<String, Target> targets, String name, Path home,
      SelfSignedKeyStore keys, EmbeddedExtension extension) throws Exception {
    final TlsListener tls = keys == null ? null : new TlsListener(FreePorts.pick(), keys.keyStore(), keys.password());
    final var broker = EmbeddedMqttBroker.start(home,
        new MqttListeners("127.0.0.1", FreePorts.pick(), tls, MqttListeners.DEFAULT_MAX_CONNECTIONS), false, extension);
    brokers.add(broker);
    targets.put(name, new Target(broker.port(), null));
    if (tls != null) {
      targets.put(name + OVER_TLS, new Target(tls.port(), keys.trust()));
    }
  }

  private static EmbeddedExtension extension(String id, ExtensionMain main) {
    return EmbeddedExtension.builder().withId(id).withName(id).withVersion("1").withPriority(0)
        .withStartPriority(1000).withExtensionMain(main).build();
  }

  /** An extension whose PUBLISH and PUBACK interceptors do nothing, set up per connection as the bridge's are. */
  static final class EmptyInterceptors implements ExtensionMain {
    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
      Services.initializerRegistry().setClientInitializer((in, client) -> {
        client.addPublishInboundInterceptor((publishIn, publishOut) -> { });
        client.addPubackOutboundInterceptor((pubackIn, pubackOut) -> { });
      });
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}
  }

  private static int arg(String[] args, int index, int fallback) {
    return args.length > index ? Integer.parseInt(args[index]) : fallback;
  }

  /** Anonymous gateways, no rate limit in the way, every PUBLISH on msh/# forwarded (as ./meshflow run does). */
  private static String config(String bootstrap, String lingerMs) {
    final var properties = lingerMs.isEmpty() ? ""
        : "<client-properties><property name=\"linger.ms\">" + lingerMs + "</property></client-properties>";
    return """
        <bridge>
          <kafka><bootstrap-servers>%s</bootstrap-servers><ack-timeout>10s</ack-timeout>%s</kafka>
          <mqtt-to-kafka>
            <mapping id="uplink">
              <mqtt-topic-filters><mqtt-topic-filter>msh/#</mqtt-topic-filter></mqtt-topic-filters>
              <kafka-topic>mesh.uplink.v1</kafka-topic>
            </mapping>
          </mqtt-to-kafka>
          <session-events><kafka-topic>mesh.sessions.v1</kafka-topic></session-events>
          <limits>
            <publish-rate>1000000</publish-rate><publish-burst>1000000</publish-burst>
            <max-in-flight>100000</max-in-flight>
          </limits>
          <access>
            <allow-anonymous>true</allow-anonymous>
            <anonymous-roles>gateway</anonymous-roles>
            <roles><role name="gateway"><publish>msh/#</publish></role></roles>
          </access>
        </bridge>
        """.formatted(bootstrap, properties);
  }
}
