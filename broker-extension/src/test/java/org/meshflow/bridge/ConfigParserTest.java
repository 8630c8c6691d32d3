package org.meshflow.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.meshflow.bridge.configuration.ConfigException;
import org.meshflow.bridge.configuration.ConfigParser;
import org.meshflow.bridge.configuration.KeySource;
import org.meshflow.bridge.configuration.PayloadFormat;
import org.meshflow.bridge.configuration.TopicFilter;

class ConfigParserTest {
  @Test
  void theShippedSampleIsValid() {
    final var config = ConfigParser.read(Path.of("conf", "config.xml"));
    assertThat(config.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(config.uplinkFor("msh/EU_868/2/e/LongFast/!1234abcd")).get()
        .satisfies(m -> assertThat(m.kafkaTopic()).isEqualTo("mesh.uplink.v1"))
        .satisfies(m -> assertThat(m.key()).isEqualTo(KeySource.CLIENT_ID));
    assertThat(config.uplinkFor("other/topic")).isEmpty();
    assertThat(config.sessions().kafkaTopic()).isEqualTo("mesh.sessions.v1");
    assertThat(config.downlinks()).hasSize(2).first().satisfies(d -> {
      assertThat(d.topicFor("!1234abcd")).isEqualTo("meshflow/alerts/!1234abcd");
      assertThat(d.payload()).isEqualTo(PayloadFormat.JSON);
      assertThat(d.replayTrigger()).isNull();
    });
    assertThat(config.downlinks().get(1).replayTrigger()).satisfies(t -> {
      assertThat(t.firedBy("homeassistant/status", java.nio.ByteBuffer.wrap("online".getBytes()))).isTrue();
      assertThat(t.firedBy("homeassistant/status", java.nio.ByteBuffer.wrap("offline".getBytes()))).isFalse();
      assertThat(t.covers("homeassistant/sensor/x/config")).isTrue();
      assertThat(t.covers("meshflow/routers/x/state")).isFalse();
    });
    assertThat(config.status().mqttTopic()).isEqualTo("meshflow/status");
    assertThat(config.status().offlineAfter()).hasSeconds(30);
    assertThat(config.access().identity().payloadField()).isEqualTo(3);
    assertThat(config.access().roles()).containsKeys("gateway", "reader", "admin");
    assertThat(config.access().identityProperties()).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("MCP-MQTT-CLIENT-ID");
      assertThat(TopicFilter.anyMatches(p.topics(), "$mcp-server/s/meshflow/mesh")).isTrue();
    });
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    final var xml = """
        <bridge>
          <kafka><bootstrap-servers>nohost</bootstrap-servers><ack-timeout>soon</ack-timeout></kafka>
          <mqtt-to-kafka>
            <mapping id="a">
              <mqtt-topic-filters><mqtt-topic-filter>msh/#/x</mqtt-topic-filter></mqtt-topic-filters>
              <kafka-topic>bad topic!</kafka-topic>
              <kafka-key>user</kafka-key>
            </mapping>
          </mqtt-to-kafka>
          <kafka-to-mqtt>
            <mapping id="b"><kafka-topic>t</kafka-topic><mqtt-topic>a/+/{key}</mqtt-topic><qos>3</qos>
              <replay-trigger><mqtt-topic>ha/#</mqtt-topic></replay-trigger></mapping>
          </kafka-to-mqtt>
          <status-topic><offline-after>later</offline-after></status-topic>
          <limits><publish-rate>-1</publish-rate></limits>
          <access>
            <allow-anonymous>yes</allow-anonymous>
            <anonymous-roles>ghost</anonymous-roles>
            <identity-rule><client-id-pattern>([</client-id-pattern></identity-rule>
            <identity-properties>
              <identity-property><mqtt-topic-filter>a/#</mqtt-topic-filter></identity-property>
              <identity-property name="P"/>
            </identity-properties>
          </access>
          <typo/>
        </bridge>
        """;
    assertThatThrownBy(() -> ConfigParser.parse(xml, Path.of("."), "test.xml"))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(13);
          assertThat(e.getMessage()).startsWith("invalid configuration test.xml (")
              .contains("'nohost' is not HOST:PORT", "ack-timeout 'soon'", "'#' must be a whole last level",
                  "needs at least one mqtt-topic-filter", "'bad topic!' is not a valid Kafka topic name",
                  "kafka-key 'user'", "3 is out of range 0..2", "no wildcards", "publish-rate: must be a positive number",
                  "'yes' is not true or false", "role 'ghost' is not defined", "is not a regular expression",
                  "bridge/typo: unknown element", "mqtt-topic 'ha/#' must be a topic, not a filter",
                  "replay-trigger/mqtt-payload: required", "status-topic/mqtt-topic: required",
                  "offline-after 'later' is not a duration",
                  "attribute name (the user property) is required",
                  "identity property 'P' needs at least one <mqtt-topic-filter>")
              .doesNotContain("\n");
        });
  }

  @Test
  void notXmlIsOneClearProblem() {
    assertThatThrownBy(() -> ConfigParser.parse("<bridge>", Path.of("."), "x.xml"))
        .hasMessageStartingWith("invalid configuration x.xml (1 problem): not well-formed XML");
  }
}
