package org.meshflow.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka for tests (Kafka's own KafkaClusterTestKit, the one place that
 * internal API is used). Internal topics get one replica, so consumer groups and transactions work.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final KafkaClusterTestKit cluster;
  private final short replicas;
  private final Map<String, String> clientSecurity;

  private EmbeddedKafka(KafkaClusterTestKit cluster, short replicas, Map<String, String> clientSecurity) {
    this.cluster = cluster;
    this.replicas = replicas;
    this.clientSecurity = clientSecurity;
  }

  public static EmbeddedKafka start() {
    return start(1);
  }

  public static EmbeddedKafka start(int brokers) {
    return start(brokers, 1);
  }

  /**
   * Three brokers as a production cluster runs them: every topic (internal ones and those made with
   * {@link #createTopic}) has three replicas and needs two in sync, so one broker may stop.
   */
  public static EmbeddedKafka startReplicated() {
    return start(3, 2);
  }

  /**
   * One broker whose listeners take only SASL/PLAIN logins (the test kit's JAAS file, set for the whole JVM,
   * holds the users); {@link #clientSecurity()} is how a client logs in as its super user.
   */
  public static EmbeddedKafka startSaslPlain() {
    return start(1, 1, SecurityProtocol.SASL_PLAINTEXT);
  }

  private static EmbeddedKafka start(int brokers, int minInSync) {
    return start(brokers, minInSync, SecurityProtocol.PLAINTEXT);
  }

  private static EmbeddedKafka start(int brokers, int minInSync, SecurityProtocol protocol) {
    try {
      final var nodes = new TestKitNodes.Builder().setBrokerSecurityProtocol(protocol)
          .setControllerSecurityProtocol(protocol)
          .setCombined(true).setNumBrokerNodes(brokers).setNumControllerNodes(1).build();
      final var builder = new KafkaClusterTestKit.Builder(nodes);
      final short rf = (short) Math.min(brokers, 3);
      builder.setConfigProp("offsets.topic.replication.factor", String.valueOf(rf));
      builder.setConfigProp("offsets.topic.num.partitions", "4");
      builder.setConfigProp("transaction.state.log.replication.factor", String.valueOf(rf));
      builder.setConfigProp("transaction.state.log.min.isr", String.valueOf(minInSync));
      builder.setConfigProp("min.insync.replicas", String.valueOf(minInSync));
      builder.setConfigProp("transaction.state.log.num.partitions", "4");
      builder.setConfigProp("group.initial.rebalance.delay.ms", "0");
      builder.setConfigProp("log.cleaner.dedupe.buffer.size", "8388608");
      builder.setConfigProp("auto.create.topics.enable", "false");
      final var cluster = builder.build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new EmbeddedKafka(cluster, minInSync > 1 ? rf : 1, protocol == SecurityProtocol.PLAINTEXT ? Map.of()
          : Map.of("security.protocol", protocol.name, "sasl.mechanism", "PLAIN", "sasl.jaas.config",
              "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + JaasUtils.KAFKA_PLAIN_ADMIN
                  + "\" password=\"" + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD + "\";"));
    } catch (Exception e) {
      throw new IllegalStateException("embedded Kafka did not start: " + e, e);
    }
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** Client properties pointing at this cluster, with the login of {@link #clientSecurity()}. */
  public Properties clientProperties() {
    final var props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.putAll(clientSecurity);
    return props;
  }

  /** What a client needs to log in (security protocol, SASL mechanism and JAAS config); empty without SASL. */
  public Map<String, String> clientSecurity() {
    return clientSecurity;
  }

  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  public void createTopic(String name, int partitions, Map<String, String> configs) {
    try (var admin = Admin.create(clientProperties())) {
      admin.createTopics(Set.of(new NewTopic(name, partitions, replicas).configs(new HashMap<>(configs)))).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops one broker (node id, 0-based; node 0 is also the controller) as a crash would, without a restart. */
  public void stopBroker(int nodeId) {
    final var broker = cluster.brokers().get(nodeId);
    broker.shutdown();
    broker.awaitShutdown();
  }

  /** Kafka's test kit itself, for what this class does not cover. */
  public KafkaClusterTestKit cluster() {
    return cluster;
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("embedded Kafka did not stop cleanly: " + e, e);
    }
  }
}
