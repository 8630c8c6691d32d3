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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.meshflow.bridge.BridgeExtension;
import org.meshflow.bridge.configuration.ConfigParser;
import org.meshflow.launcher.embedded.EmbeddedKafkaServer;
import org.meshflow.launcher.embedded.EmbeddedMqttBroker;
import org.meshflow.launcher.embedded.FreePorts;
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
 * the bridge's producer.
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
      final var brokers = new LinkedHashMap<String, EmbeddedMqttBroker>();
      try {
        brokers.put("with bridge", EmbeddedMqttBroker.start(dir.resolve("with"), "127.0.0.1", FreePorts.pick(), false,
            extension("meshflow-bridge", bridge)));
        if (!Boolean.getBoolean("bridge.only")) {
          brokers.put("alone", EmbeddedMqttBroker.start(dir.resolve("alone"), "127.0.0.1", FreePorts.pick(), false,
              null));
        }
        if (Boolean.getBoolean("noop")) {
          brokers.put("empty interceptors", EmbeddedMqttBroker.start(dir.resolve("noop"), "127.0.0.1",
              FreePorts.pick(), false, extension("noop", new EmptyInterceptors())));
        }
        System.out.printf("load: %s; %d rounds (+%d warm-up) per broker, alternating%n", load, rounds, warmups);
        final var results = new LinkedHashMap<String, List<PublishLoad.Round>>();
        for (final var broker : brokers.entrySet()) {
          results.put(broker.getKey(), new ArrayList<>());
        }
        for (int i = 0; i < warmups; i++) {
          for (final var broker : brokers.values()) {
            PublishLoad.run(broker.port(), load);
          }
        }
        for (int i = 0; i < rounds; i++) {
          for (final var broker : brokers.entrySet()) {
            final var round = PublishLoad.run(broker.getValue().port(), load);
            results.get(broker.getKey()).add(round);
            System.out.printf("round %d %s: %s%n  cpu µs/publish by part: %s%n", i + 1, broker.getKey(), round,
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
          if (!name.equals("with bridge")) {
            System.out.printf("ratio with bridge / %s: %.2f%n", name, with.perSecond() / median.perSecond());
          }
        });
      } finally {
        for (final var broker : brokers.values()) {
          broker.close();
        }
      }
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
