package org.meshflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshflow.testing.MeshVectors;
import org.meshflow.testing.MeshVectors.Vector;

/** {@code ./meshflow decode} as a user drives it: lines in, one JSON object a line out. */
class DecodeCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PRIVATE_KEY = "KCPrivate0=PbYjOe5/2HGhwCKVe8kSwIYRxyz/F4JbUQ5t30cEJFQ=";

  private final ByteArrayOutputStream help = new ByteArrayOutputStream();

  private List<JsonNode> decode(String input, String... args) throws Exception {
    final var out = new ByteArrayOutputStream();
    final int exit = DecodeCommand.run(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out,
        new PrintStream(help, true, StandardCharsets.UTF_8));
    assertThat(exit).isZero();
    final var lines = new ArrayList<JsonNode>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n", -1)) {
      if (!line.isEmpty()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  private static Vector vector(String name) {
    return MeshVectors.fixtures().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }

  private static String line(Vector v) {
    return v.topic() + " " + HexFormat.of().formatHex(v.payload());
  }

  private static List<String> names(JsonNode node) {
    final var names = new ArrayList<String>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void oneObjectPerLineWithTheContractNames() throws Exception {
    final String input = String.join("\n", line(vector("text-default-key-0")), "", "   ",
        line(vector("mapreport-0")), HexFormat.of().formatHex(vector("telemetry-0").payload()), "");
    final List<JsonNode> out = decode(input);

    assertThat(out).hasSize(3);
    assertThat(names(out.get(0))).containsExactly("topic", "gatewayId", "channelId", "from", "to", "packetId",
        "packetKey", "channelHash", "hopLimit", "hopStart", "hopsAway", "rxTime", "rxSnr", "rxRssi", "viaMqtt",
        "encrypted", "decrypted", "portnum", "payload");
    assertThat(out.get(0).get("payload").get("text").asText()).isEqualTo("ÜTF-8 ✓ ok");
    assertThat(out.get(1).get("packetKey").asText()).isEqualTo("!5dd685f4/map");
    assertThat(out.get(1).get("hopsAway").isNull()).isTrue();
    assertThat(out.get(2).get("topic").asText()).isEmpty(); // a bare envelope has no topic
    assertThat(out.get(2).get("payload").get("deviceMetrics").get("voltage").asText()).isEqualTo("3.35");
  }

  @Test
  void badLinesPrintAnErrorAndDecodingGoesOn() throws Exception {
    final String input = String.join("\n", line(vector("bad-truncated")), "msh/US/2/e/LongFast/!abcd1234 zz",
        "home/kitchen/temp 0a00", "msh/US/2/e/LongFast/!abcd1234", line(vector("text-plain-0")));
    final List<JsonNode> out = decode(input);

    assertThat(out).hasSize(5);
    for (JsonNode error : out.subList(0, 4)) {
      assertThat(names(error)).containsExactly("error", "topic");
      assertThat(error.get("error").asText()).isNotBlank();
    }
    assertThat(out.get(1).get("error").asText()).contains("not hex");
    assertThat(out.get(2).get("topic").asText()).isEqualTo("home/kitchen/temp");
    assertThat(out.get(3).get("error").asText()).isEqualTo("empty payload");
    assertThat(out.get(4).get("portnum").asText()).isEqualTo("TEXT_MESSAGE_APP");
  }

  @Test
  void privateChannelNeedsItsKey() throws Exception {
    final String input = line(vector("private-channel-aes256-0"));
    assertThat(decode(input).get(0).get("decrypted").asBoolean()).isFalse();
    final JsonNode decrypted = decode(input, "--key", PRIVATE_KEY).get(0);
    assertThat(decrypted.get("decrypted").asBoolean()).isTrue();
    assertThat(decrypted.get("payload").get("text").asText()).isEqualTo("ÜTF-8 ✓ ok");
    assertThat(decode(input, "--key=" + PRIVATE_KEY).get(0).get("decrypted").asBoolean()).isTrue();
  }

  @Test
  void legacyStatusLine() throws Exception {
    final String online = HexFormat.of().formatHex("online".getBytes(StandardCharsets.US_ASCII));
    assertThat(decode("msh/US/2/stat/!da5857c0 " + online).get(0).toString())
        .isEqualTo("{\"topic\":\"msh/US/2/stat/!da5857c0\",\"gatewayId\":\"!da5857c0\",\"status\":\"online\"}");
  }

  @Test
  void badKeysAreOneUsageLineListingEveryProblem() {
    assertThatThrownBy(() -> decode("", "--key", "A=%%", "--key", "nokey", "--key", "B=" + "QUFB".repeat(12)))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("bad --key: ")
        .hasMessageContaining("'nokey'").hasMessageContaining("A: ").hasMessageContaining("B: key is 36 bytes")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> decode("", "--frobnicate")).isInstanceOf(UsageException.class)
        .hasMessageContaining("--frobnicate");
  }

  @Test
  void badKeysExitWithCode2ThroughTheLauncher() {
    final var err = new ByteArrayOutputStream();
    final int exit = Meshflow.execute(new String[] {"decode", "--key", "X=%%"}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("meshflow decode: bad --key: X: ").hasLineCount(1);
  }

  @Test
  void helpExplainsWithAnExample() throws Exception {
    decode("", "--help");
    assertThat(help.toString(StandardCharsets.UTF_8)).contains("usage: ./meshflow decode", "--key CHANNEL=BASE64",
        "TOPIC HEX", "Example");
  }
}
