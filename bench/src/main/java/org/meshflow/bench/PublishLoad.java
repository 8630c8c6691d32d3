package org.meshflow.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.TrustManagerFactory;

/**
 * A closed-loop QoS 1 load: each client keeps a fixed number of PUBLISHes waiting for their PUBACK
 * and sends the next one from the PUBACK's callback, for a fixed time. No threads of its own.
 */
final class PublishLoad {
  private PublishLoad() {}

  record Settings(int clients, int window, int payloadBytes, int seconds, int mqttVersion) {
    @Override
    public String toString() {
      return String.format("%d MQTT %s clients x %d in flight, %d-byte payloads, %d s per round", clients,
          mqttVersion == 3 ? "3.1.1" : "5", window, payloadBytes, seconds);
    }
  }

  /**
   * PUBACKed publishes per second, PUBACK latency in ms, the CPU time of the whole process per
   * publish in µs, and that time by part of the system.
   */
  record Round(double perSecond, double p50, double p99, double cpuMicrosPerPublish, String cpuByPart) {
    static Round median(List<Round> rounds) {
      return new Round(Stats.median(rounds.stream().map(Round::perSecond).toList()),
          Stats.median(rounds.stream().map(Round::p50).toList()), Stats.median(rounds.stream().map(Round::p99).toList()),
          Stats.median(rounds.stream().map(Round::cpuMicrosPerPublish).toList()), "");
    }

    @Override
    public String toString() {
      return String.format("%.0f/s p50 %.2f ms p99 %.2f ms cpu %.1f µs/publish", perSecond, p50, p99,
          cpuMicrosPerPublish);
    }
  }

  /** One client connection, publishing QoS 1; the future tells whether the PUBACK was a success. */
  private interface Publisher {
    CompletableFuture<Boolean> publish(String topic, byte[] payload);

    CompletableFuture<?> disconnect();
  }

  static Round run(int port, Settings settings) throws Exception {
    return run(port, null, settings);
  }

  /** @param tls the certificates the clients trust when they connect over TLS; null for plain TCP */
  static Round run(int port, TrustManagerFactory tls, Settings settings) throws Exception {
    final var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean();
    final var threads = new ThreadCpu();
    final var publishers = new ArrayList<Publisher>();
    for (int c = 0; c < settings.clients(); c++) {
      publishers.add(connect(port, tls, String.format("!%08x", c), settings.mqttVersion()));
    }
    final var payload = new byte[settings.payloadBytes()];
    final var latencies = new Latencies();
    final var acked = new AtomicLong();
    final var failed = new AtomicLong();
    final var open = new CountDownLatch(settings.clients() * settings.window());
    threads.start();
    final long cpuBefore = os.getProcessCpuTime();
    final long start = System.nanoTime();
    final long end = start + TimeUnit.SECONDS.toNanos(settings.seconds());
    for (int c = 0; c < publishers.size(); c++) {
      final var publisher = publishers.get(c);
      final var topic = String.format("msh/EU_868/2/map/!%08x", c);
      for (int w = 0; w < settings.window(); w++) {
        new Runnable() {
          @Override
          public void run() {
            final long sent = System.nanoTime();
            publisher.publish(topic, payload).whenComplete((ok, e) -> {
              final long now = System.nanoTime();
              if (e == null && ok) {
                acked.incrementAndGet();
                latencies.add(now - sent);
              } else {
                failed.incrementAndGet();
              }
              if (now < end) {
                run();
              } else {
                open.countDown();
              }
            });
          }
        }.run();
      }
    }
    if (!open.await(settings.seconds() + 60L, TimeUnit.SECONDS)) {
      System.out.println("  (some publishes never got a PUBACK)");
    }
    final double elapsed = (System.nanoTime() - start) / 1e9;
    final long cpu = os.getProcessCpuTime() - cpuBefore;
    threads.stop();
    for (final var publisher : publishers) {
      publisher.disconnect().get(10, TimeUnit.SECONDS);
    }
    if (failed.get() > 0) {
      System.out.printf("  (%d publishes failed)%n", failed.get());
    }
    final long publishes = Math.max(1, acked.get());
    return new Round(acked.get() / elapsed, latencies.percentileMs(50), latencies.percentileMs(99),
        cpu / 1e3 / publishes, threads.perPublish(publishes));
  }

  private static Publisher connect(int port, TrustManagerFactory tls, String clientId, int mqttVersion)
      throws Exception {
    MqttClientBuilder builder = MqttClient.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port);
    if (tls != null) {
      builder = builder.sslConfig().trustManagerFactory(tls).applySslConfig();
    }
    if (mqttVersion == 3) {
      final Mqtt3AsyncClient client = builder.useMqttVersion3().buildAsync();
      client.connect().get(10, TimeUnit.SECONDS);
      return publisher(client::disconnect, (topic, payload) -> client.publishWith().topic(topic)
          .qos(MqttQos.AT_LEAST_ONCE).payload(payload).send().thenApply(result -> true));
    }
    final Mqtt5AsyncClient client = builder.useMqttVersion5().buildAsync();
    client.connect().get(10, TimeUnit.SECONDS);
    return publisher(client::disconnect, (topic, payload) -> client.publishWith().topic(topic)
        .qos(MqttQos.AT_LEAST_ONCE).payload(payload).send().thenApply(result -> result.getError().isEmpty()));
  }

  private static Publisher publisher(Supplier<CompletableFuture<?>> disconnect,
      java.util.function.BiFunction<String, byte[], CompletableFuture<Boolean>> publish) {
    return new Publisher() {
      @Override
      public CompletableFuture<Boolean> publish(String topic, byte[] payload) {
        return publish.apply(topic, payload);
      }

      @Override
      public CompletableFuture<?> disconnect() {
        return disconnect.get();
      }
    };
  }
}
