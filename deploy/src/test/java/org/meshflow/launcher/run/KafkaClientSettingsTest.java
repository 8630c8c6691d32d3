package org.meshflow.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.bridge.configuration.BridgeConfig;
import org.meshflow.bridge.configuration.ConfigParser;

/** The {@code kafka.*} settings reach each kind of Kafka client as Kafka Streams would hand them out. */
class KafkaClientSettingsTest {
  private static final Map<String, String> LOGIN = Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN",
      "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";",
      "ssl.truststore.location", "/etc/kafka/truststore.jks");

  @Test
  void everyKindOfClientGetsTheLoginAndOnlyTheNamesItKnows() {
    final var props = new java.util.HashMap<>(LOGIN);
    props.put("acks", "1");
    props.put("isolation.level", "read_uncommitted");
    props.put("consumer.session.timeout.ms", "6000");
    props.put("admin.request.timeout.ms", "5000");
    props.put("bootstrap.servers", "elsewhere:9092");
    final var kafka = new KafkaClientSettings("k1:9092,k2:9092", props);

    for (var client : java.util.List.of(kafka.admin(), kafka.consumer(), kafka.producer())) {
      assertThat(client).containsAllEntriesOf(LOGIN).containsEntry("bootstrap.servers", "k1:9092,k2:9092");
    }
    assertThat(kafka.admin()).containsEntry("request.timeout.ms", "5000").doesNotContainKeys("acks", "isolation.level",
        "session.timeout.ms", "admin.request.timeout.ms");
    assertThat(kafka.consumer()).containsEntry("session.timeout.ms", "6000").containsEntry("isolation.level",
        "read_uncommitted").doesNotContainKeys("acks", "request.timeout.ms");
    assertThat(kafka.producer()).containsEntry("acks", "1").doesNotContainKeys("isolation.level", "session.timeout.ms");
    assertThat(kafka.streams()).containsAllEntriesOf(LOGIN).containsEntry("consumer.session.timeout.ms", "6000")
        .doesNotContainKey("bootstrap.servers");
    assertThat(kafka.shared()).containsAllEntriesOf(LOGIN).containsEntry("acks", "1")
        .doesNotContainKeys("consumer.session.timeout.ms", "bootstrap.servers");
  }

  @Test
  void theBrokersSettingsGoOverTheClientPropertiesOfItsConfigFile(@TempDir Path data) throws Exception {
    final String xml;
    try (var template = MeshflowBroker.class.getResourceAsStream("/meshflow/broker.xml")) {
      xml = new String(template.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .replace("<allow-anonymous>false</allow-anonymous>", "<allow-anonymous>true</allow-anonymous>")
          .replace("<credentials-file>auth.xml</credentials-file>", "<credentials-file></credentials-file>");
    }
    final BridgeConfig parsed = ConfigParser.parse(xml, data, "broker.xml");
    final BridgeConfig config = MeshflowBroker.withClientProperties(parsed,
        Map.of("security.protocol", "SASL_SSL", "compression.type", "zstd"));
    assertThat(parsed.kafka().properties()).containsEntry("compression.type", "lz4");
    assertThat(config.kafka().properties()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("compression.type", "zstd");
    assertThat(config.kafka().bootstrapServers()).isEqualTo(parsed.kafka().bootstrapServers());
    assertThat(config.uplinks()).isEqualTo(parsed.uplinks());
    assertThat(config.access()).isEqualTo(parsed.access());
  }
}
