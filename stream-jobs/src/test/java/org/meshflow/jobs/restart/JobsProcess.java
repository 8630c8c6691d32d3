package org.meshflow.jobs.restart;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.meshflow.jobs.common.ConsumerLag;
import org.meshflow.jobs.dedup.DedupConfig;
import org.meshflow.jobs.dedup.DedupTopology;
import org.meshflow.jobs.health.HealthConfig;
import org.meshflow.jobs.health.HealthTopology;

/**
 * The dedup and health jobs in a process of their own, so a test can kill it (SIGKILL) mid-stream.
 * Arguments: bootstrap servers, state directory. Prints {@code RUNNING} once both jobs run.
 */
public final class JobsProcess {
  static final Map<String, String> SETTINGS = Map.of(
      "dedup.window", "1m", "dedup.idle-after", "5s", "dedup.close-interval", "200ms", "dedup.max-lateness", "1h",
      "dedup.node-packet-limit", "1000000", "health.idle-after", "1s", "health.check-interval", "500ms");

  private JobsProcess() {}

  public static void main(String[] args) throws InterruptedException {
    final String bootstrap = args[0];
    final Path stateDir = Path.of(args[1]);
    final var registry = FixedSchemaIds.registry();
    final var dedupConfig = DedupConfig.from(SETTINGS);
    final var healthConfig = HealthConfig.from(SETTINGS);
    final var dedupLag = new ConsumerLag();
    final var dedup = dedupLag.watch(new KafkaStreams(
        DedupTopology.build(dedupConfig, registry, new SimpleMeterRegistry(), dedupLag),
        tuned(DedupTopology.streamsConfig(dedupConfig, bootstrap, stateDir.resolve("dedup"), registry))));
    final var health = new KafkaStreams(HealthTopology.build(healthConfig, registry),
        tuned(HealthTopology.streamsConfig(healthConfig, bootstrap, stateDir.resolve("health"), registry)));
    final var running = new CountDownLatch(2);
    for (KafkaStreams streams : List.of(dedup, health)) {
      streams.setStateListener((now, before) -> {
        if (now == KafkaStreams.State.RUNNING) {
          running.countDown();
        }
      });
      streams.start();
    }
    running.await();
    System.out.println("RUNNING");
    System.out.flush();
    new CountDownLatch(1).await();
  }

  private static Properties tuned(Properties props) {
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1000);
    return props;
  }
}
